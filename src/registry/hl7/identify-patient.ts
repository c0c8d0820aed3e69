import type { Patient } from '@medplum/fhirtypes';
import type { FhirContext } from '../../interactions/types.ts';
import { searchFhir } from './fhir-calls.ts';

/** How a reported patient was identified. */
export type Identification =
  | { kind: 'identifier' | 'demographics'; patient: Patient }
  | { kind: 'new'; ambiguous: number };

/**
 * Finds the registry patient a reported patient is (CDC IG R1.5 §6 "patient identification" left to the IIS): the
 * same identifier from the same assigning authority is the same patient; otherwise an exact deterministic match on
 * family name, first given name, birth date and sex; otherwise a new patient. One function, so a full matching
 * engine can replace it.
 * @param ctx - the sender's context.
 * @param incoming - the patient as reported.
 * @returns the match.
 */
export async function identifyPatient(ctx: FhirContext, incoming: Patient): Promise<Identification> {
  for (const id of incoming.identifier ?? []) {
    if (!id.system || !id.value) continue;
    const found = await searchFhir<Patient>(ctx, 'Patient', [['identifier', `${id.system}|${id.value}`], ['_count', '2']], true);
    if (found.length === 1) return { kind: 'identifier', patient: found[0] as Patient };
  }
  const name = incoming.name?.find((n) => n.use !== 'maiden') ?? incoming.name?.[0];
  const family = name?.family;
  const given = name?.given?.[0];
  if (!family || !given || !incoming.birthDate) return { kind: 'new', ambiguous: 0 };
  const gender = incoming.gender && incoming.gender !== 'unknown' ? incoming.gender : undefined;
  const found = (await demographicCandidates(ctx, family, given, incoming.birthDate, gender)).filter(
    (p) => p.name?.some((n) => n.given?.includes(given)) && (!gender || p.gender === gender),
  );
  if (found.length === 1) return { kind: 'demographics', patient: found[0] as Patient };
  return { kind: 'new', ambiguous: found.length };
}

/** Most patients one family name and birth date may share before the match asks the database for every criterion. */
const FEW_CANDIDATES = 20;

/**
 * The patients that may match on demographics: those with the family name and the birth date, whose first given
 * name and sex the caller then checks, as the search's `given:exact` (any given name of any name equals it) and
 * `gender` (the same code) would. The database is asked for two criteria rather than four because planning a
 * four-way join of the index tables cost PostgreSQL about 4 ms per message, ten times its execution and a third of
 * its work on a VXU; a family name and a birth date already leave a handful of patients, twins at most. Should
 * many share them, the four-criteria search is asked instead.
 */
async function demographicCandidates(ctx: FhirContext, family: string, given: string, birthDate: string, gender: string | undefined): Promise<Patient[]> {
  const few = await searchFhir<Patient>(ctx, 'Patient', [['family:exact', family], ['birthdate', birthDate], ['_count', String(FEW_CANDIDATES)]], true);
  if (few.length < FEW_CANDIDATES) return few;
  const query: [string, string][] = [['family:exact', family], ['given:exact', given], ['birthdate', birthDate], ['_count', '2']];
  if (gender) query.push(['gender', gender]);
  return searchFhir<Patient>(ctx, 'Patient', query, true);
}

/**
 * Merges a reported patient into the stored one: reported demographics replace stored ones, identifiers and
 * extensions are united (by system and value, by URL), the id and metadata stay.
 * @param stored - the registry's patient.
 * @param incoming - the patient as reported.
 * @returns the merged patient.
 */
export function mergePatient(stored: Patient, incoming: Patient): Patient {
  const ids = [...(stored.identifier ?? [])];
  for (const i of incoming.identifier ?? []) if (!ids.some((s) => s.system === i.system && s.value === i.value)) ids.push(i);
  const exts = new Map((stored.extension ?? []).map((e) => [e.url, e]));
  for (const e of incoming.extension ?? []) exts.set(e.url, e);
  const security = [...(stored.meta?.security ?? []).filter((s) => !incoming.meta?.security?.some((x) => x.system === s.system)), ...(incoming.meta?.security ?? [])];
  const { meta: _m, ...rest } = incoming;
  const merged: Patient = { ...stored, ...rest, id: stored.id, identifier: ids };
  if (exts.size) merged.extension = [...exts.values()];
  merged.meta = { ...(stored.meta ?? {}), ...(security.length ? { security } : {}) };
  return merged;
}
