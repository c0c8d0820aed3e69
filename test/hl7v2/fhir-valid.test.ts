import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { readdirSync } from 'node:fs';
import type { CodeSystem, Resource, StructureDefinition, ValueSet } from '@medplum/fhirtypes';
import { readResourceFolder } from '../../src/interactions/services.ts';
import { compileProfile } from '../../src/fhir/profile-rules.ts';
import { R4Validator } from '../../src/fhir/r4-validator.ts';
import { loadR4Definitions } from '../../src/fhir/definitions.ts';
import { loadCodeTables } from '../../src/hl7v2/load-code-tables.ts';
import type { CodeTables } from '../../src/hl7v2/code-tables.ts';
import { mapVxu } from '../../src/hl7v2/vxu-to-fhir.ts';
import { NIST_DIR, nistMessage } from './nist.ts';

let tables: CodeTables;
let validator: R4Validator;
before(async () => {
  tables = await loadCodeTables();
  loadR4Definitions();
  const profiles = readResourceFolder('profiles');
  validator = new R4Validator(profiles.filter((r): r is ValueSet | CodeSystem => r.resourceType === 'ValueSet' || r.resourceType === 'CodeSystem'));
  for (const sd of profiles.filter((r): r is StructureDefinition => r.resourceType === 'StructureDefinition')) validator.addProfile(compileProfile(sd, validator.expander));
});

const vxuFiles = readdirSync(NIST_DIR).filter((f) => f.endsWith('.hl7') && (/vxu|v04/.test(f) || f.includes('transmit'))).map((f) => f.slice(0, -4));

describe('resources mapped from every NIST VXU are valid FHIR R4 and meet the IIS profiles', () => {
  test('there are VXU files', () => assert.ok(vxuFiles.length >= 18));
  for (const f of vxuFiles) {
    test(f, () => {
      const m = mapVxu(nistMessage(f), tables, { now: new Date('2026-11-30T12:00:00Z') });
      const all: Resource[] = [m.patient, ...m.relatedPersons, ...m.immunizations.map((i) => i.resource), ...m.patientObservations];
      for (const r of all) {
        const report = validator.validate(r);
        assert.deepEqual([...report.base, ...report.profile].map((i) => `${r.resourceType} ${i.expression?.join(',')}: ${i.details?.text}`), []);
      }
    });
  }
});
