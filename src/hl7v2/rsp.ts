/**
 * RSP^K11^RSP_K11 responses to Z34/Z44 queries (CDC IG R1.5 section 5.3 and the response profiles):
 * Z32 complete history, Z31 candidate list, Z33 no match / too many / error, Z42 evaluated history and forecast.
 * Inputs are FHIR resources as the registry stores them.
 */
import type { Immunization, ImmunizationEvaluation, ImmunizationRecommendation, Patient, RelatedPerson } from '@medplum/fhirtypes';
import { errSegment, replyMsh, type AckCode, type AckOptions } from './ack.ts';
import { buildMessage, encodeField, segment } from './encode.ts';
import { isMessageRejected, type Hl7Issue } from './issues.ts';
import type { MessageHeader } from './message.ts';
import type { Hl7Segment } from './segments.ts';
import { toTs } from './datatypes.ts';
import { vaccineGroupOf } from './vaccine-groups.ts';
import { immunizationToSegments, obx, patientToPd1, patientToPid, relatedPersonToNk1, type ObxCounter } from './fhir-to-v2.ts';

/** QAK-2 query response status (HL7 table 0208). */
export type QueryStatus = 'OK' | 'NF' | 'TM' | 'PD' | 'AE' | 'AR';

/** What every RSP echoes of the query. */
export interface RspContext extends Omit<AckOptions, 'ackCode'> {
  /** The QBP header (MSA-2 = its MSH-10). */
  header: MessageHeader;
  /** The QPD as received (echoed whole); absent when the QBP had none. */
  qpd?: Hl7Segment;
  /** The registry's assigning authority for PID-3 `SR` identifiers. */
  iisAuthority?: string;
}

/** One patient of a response with what the registry stores about it. */
export interface RspPatient {
  patient: Patient;
  /** The registry's id of the patient (sent as PID-3 type SR). */
  iisId?: string;
  relatedPersons?: RelatedPerson[];
}

function qpdEcho(qpd: Hl7Segment | undefined): string {
  if (!qpd) return 'QPD';
  return `QPD|${qpd.fields.slice(1).map((reps) => encodeField({ reps })).join('|')}`.replace(/\|+$/, '');
}

function head(ctx: RspContext, profile: string, msa: AckCode, status: QueryStatus, issues: readonly Hl7Issue[]): string[] {
  const name = ctx.qpd?.fields[1]?.[0];
  const tag = ctx.qpd?.fields[2]?.[0]?.[0]?.[0] ?? '';
  return [
    replyMsh(ctx.header, ['RSP', 'K11', 'RSP_K11'], profile, ctx),
    segment('MSA', [msa, ctx.header.controlId]),
    ...issues.map(errSegment),
    segment('QAK', [tag, status, name ?? '']),
    qpdEcho(ctx.qpd),
  ];
}

function patientSegments(p: RspPatient, setId: number, ctx: RspContext, withPd1: boolean): string[] {
  const iis = p.iisId && ctx.iisAuthority ? { value: p.iisId, authority: ctx.iisAuthority } : undefined;
  const pd1 = withPd1 ? patientToPd1(p.patient) : undefined;
  return [patientToPid(p.patient, setId, iis), ...(pd1 ? [pd1] : []), ...(p.relatedPersons ?? []).map((r, i) => relatedPersonToNk1(r, i + 1))];
}

function byDate(a: Immunization, b: Immunization): number {
  return (a.occurrenceDateTime ?? '').localeCompare(b.occurrenceDateTime ?? '');
}

const shown = (i: Immunization) => i.status !== 'entered-in-error';

/**
 * Z32: one confident match, the complete history (MSA AA, QAK OK): PID, PD1, NK1, then per dose ORC/RXA/RXR/OBX.
 * @param ctx - query echo and reply options.
 * @param p - the patient.
 * @param immunizations - the patient's doses (entered-in-error ones are left out).
 * @returns the message text.
 */
export function buildRspZ32(ctx: RspContext, p: RspPatient, immunizations: readonly Immunization[]): string {
  const doses = immunizations.filter(shown).sort(byDate).flatMap((imm) => immunizationToSegments(imm, { n: 0 }));
  return buildMessage([...head(ctx, 'Z32', 'AA', 'OK', []), ...patientSegments(p, 1, ctx, true), ...doses]);
}

/**
 * Z31: several candidates (MSA AA, QAK OK), one PID (PID-1 = 1..n) and its NK1 each, cut at the quantity limit.
 * @param ctx - query echo and reply options.
 * @param candidates - the candidates.
 * @param quantityLimit - RCP-2.
 * @returns the message text.
 */
export function buildRspZ31(ctx: RspContext, candidates: readonly RspPatient[], quantityLimit: number): string {
  const list = candidates.slice(0, Math.max(1, quantityLimit)).flatMap((c, i) => patientSegments(c, i + 1, ctx, false));
  return buildMessage([...head(ctx, 'Z31', 'AA', 'OK', []), ...list]);
}

/**
 * Z33: no patient returned. `NF` no match, `TM` too many candidates, `PD` protected data (MSA AA); with issues,
 * QAK `AE`/`AR` and MSA AE/AR with one ERR per issue (AR for message-level faults).
 * @param ctx - query echo and reply options.
 * @param status - QAK-2, ignored when errors are given.
 * @param issues - problems of the query.
 * @returns the message text.
 */
export function buildRspZ33(ctx: RspContext, status: 'NF' | 'TM' | 'PD', issues: readonly Hl7Issue[] = []): string {
  const errors = issues.some((i) => i.severity === 'E');
  const msa: AckCode = !errors ? 'AA' : isMessageRejected(issues) ? 'AR' : 'AE';
  return buildMessage(head(ctx, 'Z33', msa, errors ? (msa === 'AR' ? 'AR' : 'AE') : status, issues));
}

const SCHEDULE = ['VXC16', 'ACIP', 'CDCPHINVS'];

/**
 * One OBX group per vaccine group of a dose: the registry evaluates per antigen, the Z42 reports per vaccine group
 * (valid only when every antigen of the group is valid; the first non-valid reason is given).
 */
function evaluationObx(c: ObxCounter, evals: readonly ImmunizationEvaluation[], date: string): string[] {
  const groups = new Map<string, { name: string; evals: ImmunizationEvaluation[] }>();
  for (const e of evals) {
    const [cvx, name] = vaccineGroupOf(e.targetDisease) ?? ['', e.targetDisease?.text ?? ''];
    const g = groups.get(cvx || name) ?? { name, evals: [] };
    g.evals.push(e);
    groups.set(cvx || name, g);
  }
  const base = c.sub ?? 0; // OBX-4 groups continue after the dose's funding OBX, so sub-ids stay unique under the RXA
  return [...groups.entries()].flatMap(([cvx, g], i) => {
    const sub = base + i + 1;
    const first = g.evals[0] as ImmunizationEvaluation;
    const invalid = g.evals.find((e) => !e.doseStatus?.coding?.some((x) => x.code === 'valid'));
    const out = [
      obx(c, 'CE', ['30956-7', 'Vaccine type'], sub, [/^\d+$/.test(cvx) ? cvx : '', g.name, /^\d+$/.test(cvx) ? 'CVX' : '']),
      obx(c, 'CE', ['59779-9', 'Immunization schedule used'], sub, SCHEDULE, date),
    ];
    if (first.doseNumberPositiveInt) out.push(obx(c, 'NM', ['30973-2', 'Dose number in series'], sub, String(first.doseNumberPositiveInt), date, ['NA', '', 'HL70353']));
    if (first.seriesDosesPositiveInt) out.push(obx(c, 'NM', ['59782-3', 'Number of doses in primary series'], sub, String(first.seriesDosesPositiveInt), date, ['NA', '', 'HL70353']));
    out.push(obx(c, 'ID', ['59781-5', 'Dose validity'], sub, invalid ? 'N' : 'Y', date));
    const reason = invalid?.doseStatusReason?.[0]?.text;
    if (reason) out.push(obx(c, 'ST', ['30982-3', 'Reason applied by forecast logic to project this vaccine'], sub, reason, date));
    return out;
  });
}

const DATE_CRITERIA: [string, string][] = [['30981-5', 'Earliest date to give'], ['30980-7', 'Date vaccination due'], ['59777-3', 'Latest date to give'], ['59778-1', 'Date when overdue for immunization']];

function forecastSegments(rec: ImmunizationRecommendation, date: string): string[] {
  const c: ObxCounter = { n: 0 };
  const groups = (rec.recommendation ?? []).flatMap((r, i) => {
    const sub = i + 1;
    const cvx = r.vaccineCode?.[0]?.coding?.find((x) => x.system === 'http://hl7.org/fhir/sid/cvx');
    const out = [
      obx(c, 'CE', ['30956-7', 'Vaccine type'], sub, cvx ? [cvx.code ?? '', r.vaccineCode?.[0]?.text ?? cvx.display ?? '', 'CVX'] : ['', r.vaccineCode?.[0]?.text ?? '']),
      obx(c, 'CE', ['59779-9', 'Immunization schedule used'], sub, SCHEDULE, date),
    ];
    if (r.doseNumberPositiveInt) out.push(obx(c, 'NM', ['30973-2', 'Dose number in series'], sub, String(r.doseNumberPositiveInt), date, ['NA', '', 'HL70353']));
    for (const [code, text] of DATE_CRITERIA) {
      const v = r.dateCriterion?.find((d) => d.code?.coding?.some((x) => x.code === code))?.value;
      if (v) out.push(obx(c, 'DT', [code, text], sub, toTs(v), date));
    }
    const status = r.forecastStatus?.coding?.[0];
    if (status?.code) out.push(obx(c, 'CE', ['59783-1', 'Status in immunization series'], sub, [status.code, status.display ?? r.forecastStatus?.text ?? '', 'immds-forecast-status'], date));
    return out;
  });
  if (!groups.length) return [];
  return [
    segment('ORC', ['RE', '', ['9999', 'IIS']]),
    segment('RXA', ['0', '1', date, '', ['998', 'No vaccine administered', 'CVX'], '999', '', '', '', '', '', '', '', '', '', '', '', '', '', 'NA']),
    ...groups,
  ];
}

/**
 * Z42: evaluated history and forecast (MSA AA, QAK OK). Each dose is followed by one OBX group per evaluation
 * (30956-7 vaccine type, 59779-9 schedule, 30973-2/59782-3, 59781-5 validity, 30982-3 reason when not valid);
 * the forecast follows under an `ORC 9999` + `RXA 998 ... NA` placeholder, one OBX group per recommendation
 * (30956-7, 59779-9, 30973-2, 30981-5 earliest, 30980-7 due, 59777-3 latest, 59778-1 overdue, 59783-1 status),
 * as in the NIST ONC 2015 Z42 examples.
 * @param ctx - query echo and reply options.
 * @param p - the patient.
 * @param immunizations - the doses.
 * @param recommendation - the stored forecast.
 * @param evaluations - evaluations; matched to doses by `immunizationEvent` reference `Immunization/<id>`.
 * @returns the message text.
 */
export function buildRspZ42(ctx: RspContext, p: RspPatient, immunizations: readonly Immunization[], recommendation?: ImmunizationRecommendation, evaluations: readonly ImmunizationEvaluation[] = []): string {
  const date = toTs(recommendation?.date ?? ctx.now.toISOString()).slice(0, 8);
  const doses = immunizations.filter(shown).sort(byDate).flatMap((imm) => {
    const c: ObxCounter = { n: 0 };
    const evals = evaluations.filter((e) => imm.id && e.immunizationEvent?.reference === `Immunization/${imm.id}`);
    return [...immunizationToSegments(imm, c), ...evaluationObx(c, evals, date)];
  });
  const forecast = recommendation ? forecastSegments(recommendation, date) : [];
  return buildMessage([...head(ctx, 'Z42', 'AA', 'OK', []), ...patientSegments(p, 1, ctx, true), ...doses, ...forecast]);
}

