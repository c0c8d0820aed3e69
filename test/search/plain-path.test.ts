import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { before, describe, test } from 'node:test';
import { evalFhirPathTyped, toTypedValue } from '@medplum/core';
import type { Resource } from '@medplum/fhirtypes';
import { plainPathOf, walkPlainPath } from '../../src/fhir/search/plain-path.ts';
import { readMessage } from '../../src/hl7v2/message.ts';
import { loadCodeTables } from '../../src/hl7v2/load-code-tables.ts';
import { mapVxu } from '../../src/hl7v2/vxu-to-fhir.ts';
import { buildServices } from '../../src/interactions/services.ts';
import { auditEventOf, auditRecordOf } from '../../src/registry/audit-event.ts';
import { generateDemoBundle } from '../../src/registry/demo/index.ts';
import { extractIndexRows } from '../../src/store/search/indexer.ts';
import { sharedDataDir } from '../helpers/shared-data.ts';
import { NIST_DIR } from '../hl7v2/nist.ts';

const services = buildServices({ fhirBaseUrl: 'http://localhost:8080/fhir' });
const registry = services.searchParameters;

/** Resources of every kind the registry writes: demo data, Synthea NDJSON, NIST VXUs as mapped, audit events. */
const corpus: Resource[] = [];
before(async () => {
  corpus.push(...(generateDemoBundle().entry ?? []).map((e) => e.resource as Resource));
  const synthetic = `${sharedDataDir()}synthetic/`;
  for (const f of readdirSync(synthetic).filter((n) => n.endsWith('.ndjson'))) {
    corpus.push(...readFileSync(`${synthetic}${f}`, 'utf8').split('\n').filter(Boolean).slice(0, 300).map((l) => JSON.parse(l) as Resource));
  }
  const tables = await loadCodeTables();
  for (const f of readdirSync(NIST_DIR).filter((n) => n.includes('vxu') && n.endsWith('.hl7'))) {
    const parsed = readMessage(readFileSync(`${NIST_DIR}${f}`, 'utf8'));
    if (!parsed.ok) continue;
    const m = mapVxu(parsed.message, tables, { now: new Date('2026-11-30T12:00:00Z') });
    corpus.push({ ...m.patient, id: 'p1' }, ...m.relatedPersons, ...m.immunizations.map((i) => i.resource), ...m.patientObservations);
  }
  for (const interaction of ['read', 'search-type', 'create', 'transaction']) {
    corpus.push(auditEventOf(auditRecordOf({ interaction, method: 'GET', query: 'Patient/x', status: 200, actor: { name: 'u', clientId: 'c', role: 'clinic-staff', address: '10.0.0.1', reference: 'Practitioner/pr1' }, resources: [{ resourceType: 'Patient', id: 'x' }, { resourceType: 'Immunization', id: 'i', patient: { reference: 'Patient/x' } } as Resource], recorded: '2026-11-30T12:00:00Z' })));
  }
});

describe('plain element paths in search parameters', () => {
  test('are recognised only for single-typed element walks', () => {
    const imm = new Map(registry.indexed('Immunization').map((d) => [d.code, d]));
    assert.deepEqual(imm.get('vaccine-code')?.plainPath, { steps: ['vaccineCode'], type: 'CodeableConcept' });
    assert.deepEqual(imm.get('target-disease')?.plainPath, { steps: ['protocolApplied', 'targetDisease'], type: 'CodeableConcept' });
    assert.equal(imm.get('date')?.plainPath, undefined, 'occurrence[x] is a choice: the FHIRPath engine picks the type');
    assert.equal(imm.get('dose-number')?.plainPath, undefined, 'ofType() is a function');
    assert.equal(plainPathOf('Patient.telecom.where(system=\'phone\')', 'Patient'), undefined);
    assert.equal(plainPathOf('Patient.name | Patient.alias', 'Patient'), undefined);
  });

  test('give exactly what the FHIRPath engine gives, on every resource the registry writes', () => {
    let compared = 0;
    for (const resource of corpus) {
      for (const def of registry.indexed(resource.resourceType)) {
        if (!def.plainPath) continue;
        const walked = walkPlainPath(resource, def.plainPath);
        if (walked === undefined) continue;
        assert.deepEqual(walked, evalFhirPathTyped(def.atom, [toTypedValue(resource)]), `${resource.resourceType} ${def.code}: ${def.expression}`);
        compared += walked.length;
      }
    }
    assert.ok(corpus.length > 500 && compared > 5000, `${corpus.length} resources, ${compared} values compared`);
  });

  test('leave every index row of the corpus as the FHIRPath engine alone makes it', () => {
    const fast = corpus.map((r) => extractIndexRows(r, registry));
    const defs = registry.types().flatMap((t) => registry.indexed(t)).filter((d) => d.plainPath);
    const saved = defs.map((d) => d.plainPath);
    try {
      for (const d of defs) delete d.plainPath;
      corpus.forEach((r, i) => assert.deepEqual(fast[i], extractIndexRows(r, registry), `${r.resourceType}/${r.id}`));
    } finally {
      defs.forEach((d, i) => (d.plainPath = saved[i]));
    }
  });

  test('primitive extensions on the way are left to the FHIRPath engine, and the index rows stay the same', () => {
    const patient = { resourceType: 'Patient', id: 'pe', gender: 'female', _gender: { extension: [{ url: 'http://example.org/x', valueString: 'y' }] }, birthDate: '2020-01-01' } as Resource;
    const gender = registry.indexed('Patient').find((d) => d.code === 'gender');
    assert.ok(gender?.plainPath);
    assert.equal(walkPlainPath(patient, gender.plainPath), undefined);
    assert.deepEqual(extractIndexRows(patient, registry).token.filter((r) => r[0] === 'gender').map((r) => r[2]), ['female']);
  });
});
