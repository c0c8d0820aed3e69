import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { Immunization, Patient } from '@medplum/fhirtypes';
import { forecastPatient, loadSupportingData } from '../../src/forecast/index.ts';
import type { SupportingData } from '../../src/forecast/supporting-data-types.ts';
import { toForecastInput } from '../../src/registry/forecast/fhir-input.ts';
import { toEvaluation, toRecommendation } from '../../src/registry/forecast/fhir-output.ts';
import { DEFAULT_CDSI_DIR } from '../../src/registry/forecast/forecast-service.ts';
import { loadCodeTables } from '../../src/hl7v2/load-code-tables.ts';
import type { CodeTables } from '../../src/hl7v2/code-tables.ts';
import { mapVxu } from '../../src/hl7v2/vxu-to-fhir.ts';
import { parseQbp } from '../../src/hl7v2/qbp.ts';
import { parseMessage } from '../../src/hl7v2/message.ts';
import { buildRspZ42 } from '../../src/hl7v2/rsp.ts';
import { lines, nistMessage } from './nist.ts';

let tables: CodeTables;
let data: SupportingData;
before(async () => {
  tables = await loadCodeTables();
  data = loadSupportingData(DEFAULT_CDSI_DIR);
});

describe('Z42 from the registry CDSi forecast (fhir-output.ts resources)', () => {
  test('iz-ad-1.1 history evaluated and forecast on 2015-10-31', () => {
    const vxu = mapVxu(nistMessage('nist-onc2015-iz-ad-1.1-send-v04-z22'), tables, { now: new Date('2015-10-31T12:00:00Z') });
    const patient: Patient = { ...vxu.patient, id: 'p1' };
    const imms: Immunization[] = vxu.immunizations.map((i, n) => ({ ...i.resource, id: `i${n}`, patient: { reference: 'Patient/p1' } }));
    const date = '2015-10-31';
    const result = forecastPatient(toForecastInput(patient, imms, [], date, data), data);
    const ref = (id: string) => ({ reference: `Immunization/${id}` });
    const evaluations = result.evaluations.map((e) => toEvaluation(e, { reference: 'Patient/p1' }, date, ref(e.doseId)));
    const recommendation = toRecommendation(result, { reference: 'Patient/p1' }, date, ref);
    assert.ok(evaluations.length > 0 && (recommendation.recommendation?.length ?? 0) > 0);

    const qbp = nistMessage('nist-onc2015-iz-qr-1.1-query-q11-z44');
    const q = parseQbp(qbp);
    assert.ok(q.ok);
    const text = buildRspZ42({ header: qbp.header, qpd: q.query.qpd, sendingApp: 'IIS', sendingFacility: 'IIS', now: new Date('2015-10-31T12:00:00Z'), controlId: 'R42' },
      { patient, iisId: 'p1' }, imms, recommendation, evaluations);
    assert.ok(parseMessage(text).ok);
    const out = lines(text);
    assert.deepEqual(out.slice(0, 5).map((l) => l[0]), ['MSH', 'MSA', 'QAK', 'QPD', 'PID']);
    // Pentacel (DTaP-Hib-IPV) is evaluated in three vaccine groups
    const start = out.findIndex((l) => l[0] === 'RXA' && l[5]?.startsWith('120^'));
    const end = out.findIndex((l, n) => n > start && l[0] === 'ORC');
    const groups = out.slice(start, end).filter((l) => l[3]?.startsWith('30956-7')).map((l) => l[5]?.split('^')[0]);
    assert.deepEqual(groups.sort(), ['107', '17', '89']);
    const validity = out.slice(start, end).filter((l) => l[3]?.startsWith('59781-5')).map((l) => l[5]);
    assert.ok(validity.every((v) => v === 'Y' || v === 'N'));
    // forecast placeholder and due dates
    const placeholder = out.findIndex((l) => l[0] === 'RXA' && l[5]?.startsWith('998^'));
    assert.ok(placeholder > end);
    const due = out.slice(placeholder).filter((l) => l[3]?.startsWith('30980-7'));
    assert.ok(due.length > 0);
    for (const d of due) assert.match(d[5] ?? '', /^\d{8}$/);
    const forecastGroups = out.slice(placeholder).filter((l) => l[3]?.startsWith('30956-7')).map((l) => l[4]);
    assert.deepEqual(forecastGroups, forecastGroups.map((_, i) => String(i + 1)));
  });
});
