import type { Immunization, ImmunizationEvaluation, Patient, RelatedPerson } from '@medplum/fhirtypes';
import { buildRspZ31, buildRspZ32, buildRspZ33, buildRspZ42, parseQbp, type ParsedMessage, type QbpQuery, type RspContext } from '../../hl7v2/index.ts';
import type { FhirContext } from '../../interactions/types.ts';
import { searchFhir } from './fhir-calls.ts';

/** meta.security of patients whose records are not disclosed to queries (PD1-12 protection indicator Y). */
const RESTRICTED = 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality|R';

/**
 * Finds the patients a QBP describes: by identifier first (same system and value), else by exact family, given and
 * birth date, narrowed by sex when given. Protected patients are never candidates (CDC IG R1.5 §7: a protected
 * record is not returned).
 * @param ctx - the querying sender's context.
 * @param q - the parsed query.
 * @returns the candidates, at most the quantity limit + 1 (enough to tell "too many").
 */
export async function findQueryCandidates(ctx: FhirContext, q: QbpQuery): Promise<Patient[]> {
  const limit = String(Math.max(1, q.quantityLimit) + 1);
  const open: [string, string][] = [['_security:not', RESTRICTED], ['_count', limit]];
  for (const id of q.identifiers) {
    if (!id.system || !id.value) continue;
    const found = await searchFhir<Patient>(ctx, 'Patient', [['identifier', `${id.system}|${id.value}`], ...open]);
    if (found.length) return found;
  }
  const family = q.name?.family;
  const given = q.name?.given?.[0];
  if (!family || !q.birthDate) return [];
  const query: [string, string][] = [['family:exact', family], ['birthdate', q.birthDate], ...open];
  if (given) query.push(['given', given]);
  if (q.sex && q.sex !== 'unknown') query.push(['gender', q.sex]);
  return searchFhir<Patient>(ctx, 'Patient', query);
}

async function record(ctx: FhirContext, patient: Patient): Promise<{ immunizations: Immunization[]; relatedPersons: RelatedPerson[] }> {
  const ref = `Patient/${patient.id}`;
  const immunizations = await searchFhir<Immunization>(ctx, 'Immunization', [['patient', ref], ['status:not', 'entered-in-error'], ['_count', '1000']]);
  const relatedPersons = await searchFhir<RelatedPerson>(ctx, 'RelatedPerson', [['patient', ref], ['_count', '20']]);
  return { immunizations, relatedPersons };
}

/**
 * Answers QBP^Q11: Z34 (history) with Z32 for one match, Z31 for several candidates up to the quantity limit, Z33
 * NF/TM otherwise; Z44 (evaluated history and forecast) with Z42 for one match (the CDSi engine's evaluations and
 * recommendation, computed as of now) and Z33 otherwise (CDC IG R1.5 §7 and the NIST ONC 2015 query cases).
 * @param ctx - the querying sender's context.
 * @param msg - the parsed QBP.
 * @param rsp - the reply's MSH facts and the query echo.
 * @param now - assessment date.
 * @returns the RSP text and the resources disclosed.
 */
export async function answerQbp(ctx: FhirContext, msg: ParsedMessage, rsp: Omit<RspContext, 'qpd'>, now: Date): Promise<{ reply: string; disclosed: string[] }> {
  const parsed = parseQbp(msg);
  if (!parsed.ok) return { reply: buildRspZ33({ ...rsp, ...(parsed.qpd ? { qpd: parsed.qpd } : {}) }, 'NF', parsed.issues), disclosed: [] };
  const q = parsed.query;
  const ctxRsp: RspContext = { ...rsp, qpd: q.qpd };
  const candidates = await findQueryCandidates(ctx, q);
  const limit = q.profile === 'Z44' ? 1 : Math.max(1, q.quantityLimit);
  if (!candidates.length) return { reply: buildRspZ33(ctxRsp, 'NF', parsed.issues), disclosed: [] };
  if (candidates.length > limit) return { reply: buildRspZ33(ctxRsp, 'TM', parsed.issues), disclosed: [] };
  if (candidates.length > 1) {
    // Z31 lists each candidate with its NK1 (CDC IG R1.5 Z31: {PID [{NK1}]}), as the NIST cf-rsp-z31 does.
    const list = await Promise.all(
      candidates.slice(0, limit).map(async (p) => ({ patient: p, iisId: p.id as string, relatedPersons: await searchFhir<RelatedPerson>(ctx, 'RelatedPerson', [['patient', `Patient/${p.id}`], ['_count', '20']]) })),
    );
    return { reply: buildRspZ31(ctxRsp, list, limit), disclosed: list.flatMap((c) => [`Patient/${c.patient.id}`, ...c.relatedPersons.map((r) => `RelatedPerson/${r.id}`)]) };
  }
  const patient = candidates[0] as Patient;
  const { immunizations, relatedPersons } = await record(ctx, patient);
  const rp = { patient, iisId: patient.id as string, relatedPersons };
  const disclosed = [`Patient/${patient.id}`, ...immunizations.map((i) => `Immunization/${i.id}`)];
  if (q.profile === 'Z34') return { reply: buildRspZ32(ctxRsp, rp, immunizations), disclosed };
  const observations = ctx.services.forecast ? ((await ctx.services.forecast.observationsOf(ctx.repo, [patient.id as string])).get(patient.id as string) ?? []) : [];
  const forecast = ctx.services.forecast?.forecast(patient, immunizations, observations, now.toISOString().slice(0, 10));
  const evaluations: ImmunizationEvaluation[] = forecast?.evaluations ?? [];
  return { reply: buildRspZ42(ctxRsp, rp, immunizations, forecast?.recommendation, evaluations), disclosed };
}
