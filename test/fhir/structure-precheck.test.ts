import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { readdirSync, readFileSync } from 'node:fs';
import { OperationOutcomeError, validateResource } from '@medplum/core';
import type { Resource } from '@medplum/fhirtypes';
import { loadR4Definitions } from '../../src/fhir/definitions.ts';
import { passesStructurePrecheck } from '../../src/fhir/structure-precheck.ts';
import { generateDemoBundle } from '../../src/registry/demo/generate-demo-bundle.ts';
import { loadCodeTables } from '../../src/hl7v2/load-code-tables.ts';
import { mapVxu } from '../../src/hl7v2/vxu-to-fhir.ts';
import { sharedDataDir } from '../helpers/shared-data.ts';
import { NIST_DIR, nistMessage } from '../hl7v2/nist.ts';

/** What `@medplum/core`'s full validator says: the error messages, none when the resource is valid. */
function fullValidatorErrors(r: Resource): string[] {
  try {
    validateResource(r);
    return [];
  } catch (err) {
    if (!(err instanceof OperationOutcomeError)) return [String(err)];
    return (err.outcome.issue ?? []).filter((i) => i.severity === 'error' || i.severity === 'fatal').map((i) => `${i.expression?.join(',')}: ${i.details?.text}`);
  }
}

const SYNTHEA = `${sharedDataDir()}synthetic/smart-r4-synthea/`;

function ndjson(file: string, limit: number): Resource[] {
  return readFileSync(`${SYNTHEA}${file}`, 'utf8').split('\n').filter(Boolean).slice(0, limit).map((l) => JSON.parse(l) as Resource);
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Every path to a value inside a resource, as keys and indexes. */
function paths(value: Json, prefix: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = [];
  if (Array.isArray(value)) value.forEach((v, i) => out.push([...prefix, i], ...paths(v, [...prefix, i])));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) out.push([...prefix, k], ...paths(v, [...prefix, k]));
  return out;
}

/** A copy of the resource with the value at the path replaced (or removed when `replacement` is `undefined`). */
function mutate(r: Resource, path: (string | number)[], replace: (old: Json) => Json | undefined): Resource {
  const copy = structuredClone(r) as unknown as Json;
  let parent = copy as Record<string | number, Json>;
  for (const k of path.slice(0, -1)) parent = parent[k] as Record<string | number, Json>;
  const last = path[path.length - 1] as string | number;
  const next = replace(parent[last] as Json);
  if (next === undefined) {
    if (Array.isArray(parent)) parent.splice(last as number, 1);
    else delete parent[last];
  } else parent[last] = next;
  return copy as unknown as Resource;
}

/** Ways of breaking (or harmlessly changing) one value: each one a FHIR JSON mistake a client could make. */
const MUTATIONS: [string, (old: Json) => Json | undefined][] = [
  ['removed', () => undefined],
  ['null', () => null],
  ['empty string', () => ''],
  ['blank string', () => '   '],
  ['empty object', () => ({})],
  ['empty array', () => []],
  ['wrapped in an array', (v) => (Array.isArray(v) ? v : [v])],
  ['unwrapped from its array', (v) => (Array.isArray(v) ? (v[0] ?? null) : v)],
  ['a number', () => 42.5],
  ['a negative integer', () => -3],
  ['a boolean', () => true],
  ['a string with inner double spaces and a trailing space', () => 'a  b '],
  ['an impossible date', () => '2021-13-45'],
  ['an object with an unknown property', (v) => (v && typeof v === 'object' && !Array.isArray(v) ? { ...v, bogus: 'x' } : { bogus: 'x' })],
  ['an extension with both a value and extensions', () => ({ url: 'http://example.org/x', valueString: 'a', extension: [{ url: 'y', valueString: 'b' }] })],
  ['a primitive extension beside it', (v) => v],
];

let corpus: Resource[] = [];

before(async () => {
  loadR4Definitions();
  const tables = await loadCodeTables();
  const demo = (generateDemoBundle({ patientCount: 12, today: '2026-11-30' }).entry ?? []).flatMap((e) => (e.resource ? [e.resource] : []));
  const nist = readdirSync(NIST_DIR)
    .filter((f) => f.endsWith('.hl7') && /vxu|v04/.test(f))
    .flatMap((f) => {
      const m = mapVxu(nistMessage(f.slice(0, -4)), tables, { now: new Date('2026-11-30T12:00:00Z') });
      return [m.patient, ...m.relatedPersons, ...m.immunizations.map((i) => i.resource), ...m.patientObservations] as Resource[];
    });
  const synthea = ['Patient.ndjson', 'Immunization.ndjson', 'Organization.ndjson', 'Practitioner.ndjson'].flatMap((f) => ndjson(f, 40));
  corpus = [...demo, ...nist, ...synthea];
});

describe('structure pre-check (the fast path of R4 validation)', () => {
  test('valid resources of the registry, its HL7 v2 intake and Synthea pass it, so the fast path is taken', () => {
    assert.ok(corpus.length > 300);
    const valid = corpus.filter((r) => fullValidatorErrors(r).length === 0);
    const missed = valid.filter((r) => !passesStructurePrecheck(r)).map((r) => `${r.resourceType}/${r.id}`);
    // None of these use what the pre-check leaves to the full validator (`_x` primitive extensions, contained).
    assert.deepEqual(missed, []);
  });

  test('it never passes a resource the full validator rejects, over every value of every resource broken many ways', () => {
    let tried = 0;
    let passed = 0;
    const wrong: string[] = [];
    const sample = pickShapes(corpus);
    for (const r of sample) {
      for (const path of paths(r as unknown as Json)) {
        for (const [name, change] of MUTATIONS) {
          let variant = mutate(r, path, change);
          if (name === 'a primitive extension beside it' && typeof path[path.length - 1] === 'string') {
            variant = mutate(variant, [...path.slice(0, -1), `_${String(path[path.length - 1])}`], () => ({ extension: [{ url: 'http://example.org/x', valueString: 'a' }] }));
          }
          tried += 1;
          if (!passesStructurePrecheck(variant)) continue;
          passed += 1;
          const errors = fullValidatorErrors(variant);
          if (errors.length) wrong.push(`${r.resourceType} ${path.join('.')} ${name}: ${errors.join('; ')}`);
        }
      }
    }
    assert.deepEqual(wrong.slice(0, 20), []);
    assert.ok(tried > 5000, `tried ${tried}`);
    // Harmless changes (an optional value removed, a repeating value unwrapped...) still take the fast path.
    assert.ok(passed > 200, `passed ${passed}`);
  });

  test('whole-resource mistakes are left to the full validator', () => {
    const patient = corpus.find((r) => r.resourceType === 'Patient') as Resource;
    for (const resourceType of ['NoSuchType', 'toString', '__proto__']) {
      assert.equal(passesStructurePrecheck({ ...patient, resourceType } as unknown as Resource), false, resourceType);
    }
    assert.equal(passesStructurePrecheck({ ...patient, contained: [{ resourceType: 'Organization', id: 'o', name: 'x' }] } as Resource), false);
    const immunization = corpus.find((r) => r.resourceType === 'Immunization') as Resource & { status?: string };
    const { status: _status, ...noStatus } = immunization;
    assert.equal(passesStructurePrecheck(noStatus as Resource), false);
    assert.ok(fullValidatorErrors(noStatus as Resource).length > 0);
  });
});

/** A few resources of each type, the ones with the most distinct property paths first, to keep the run short. */
function pickShapes(all: Resource[]): Resource[] {
  const byType = new Map<string, Resource[]>();
  for (const r of all) byType.set(r.resourceType, [...(byType.get(r.resourceType) ?? []), r]);
  const out: Resource[] = [];
  for (const list of byType.values()) {
    const seen = new Set<string>();
    const ranked = [...list].sort((a, b) => paths(b as unknown as Json).length - paths(a as unknown as Json).length);
    for (const r of ranked) {
      const shape = paths(r as unknown as Json).map((p) => p.filter((k) => typeof k === 'string').join('.'));
      if (shape.every((s) => seen.has(s))) continue;
      shape.forEach((s) => seen.add(s));
      out.push(r);
      if (out.filter((x) => x.resourceType === r.resourceType).length >= 3) break;
    }
  }
  return out;
}
