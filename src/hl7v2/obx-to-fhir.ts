/**
 * OBX segments under an RXA (CDC IG R1.5 section 6 "OBX - Observation Result Segment" and appendix on
 * immunization-level observations): funding eligibility 64994-7 to programEligibility, funding source 30963-3
 * to fundingSource, VIS documents (69764-9, 30956-7, 29768-9, 29769-7; grouped by OBX-4) to education, reaction
 * 31044-1 to reaction; patient-level observations (contraindication, evidence of immunity, serology, indication)
 * become Observation resources.
 */
import type { CodeableConcept, Immunization, ImmunizationEducation, Observation } from '@medplum/fhirtypes';
import { hl7Issue, type Hl7Issue } from './issues.ts';
import { reps, val, type Hl7Segment } from './segments.ts';
import { ceToConcept, codingOf, ceTriplets, parseTs } from './datatypes.ts';
import { TABLE_URLS, visDocumentOf, type CodeTables } from './code-tables.ts';
import { EXT_VIS_VACCINE } from './patient-extensions.ts';

/** LOINC codes of OBX-3 that describe the patient rather than the dose (kept as Observation resources). */
export const PATIENT_OBSERVATION_CODES: Record<string, string> = {
  '30945-0': 'Vaccination contraindication and/or precaution',
  '59784-9': 'Disease with presumed immunity',
  '75505-8': 'Serological evidence of immunity',
  '75323-6': 'Condition',
  '31044-1': 'Reaction',
  '30979-9': 'Vaccines due next',
};

/** Placeholder reference to the patient; the caller replaces it with the stored Patient's reference. */
export const PATIENT_PLACEHOLDER = 'urn:iis:patient';

function obxValue(obx: Hl7Segment): Pick<Observation, 'valueCodeableConcept' | 'valueDateTime' | 'valueString' | 'valueQuantity'> | undefined {
  const type = val(obx, 2).toUpperCase();
  const rep = reps(obx, 5)[0];
  if (!rep) return undefined;
  if (type === 'CE' || type === 'CWE') {
    const c = ceToConcept(rep);
    return c ? { valueCodeableConcept: c } : undefined;
  }
  if (type === 'DT' || type === 'TS' || type === 'DTM') {
    const d = parseTs(val(obx, 5));
    return d ? { valueDateTime: d.dateTime } : undefined;
  }
  if (type === 'NM' && /^-?\d*\.?\d+$/.test(val(obx, 5))) return { valueQuantity: { value: Number(val(obx, 5)) } };
  return val(obx, 5) ? { valueString: val(obx, 5) } : undefined;
}

function checkedConcept(obx: Hl7Segment, table: ReadonlyMap<string, { display: string }>, system: string, what: string, issues: Hl7Issue[]): CodeableConcept | undefined {
  const t = ceTriplets(reps(obx, 5)[0])[0];
  if (!t) return undefined;
  const known = table.get(t.code);
  if (!known) {
    issues.push(hl7Issue({ segment: 'OBX', sequence: obx.sequence, field: 5 }, '103', 'W', `OBX-5 ${what} code ${t.code} is not recognized; value ignored`, '5'));
    return undefined;
  }
  return { coding: [{ system, code: t.code, display: known.display || t.display }] };
}

/** Everything the OBX of one RXA give. */
export interface ObxMapping {
  programEligibility?: CodeableConcept[];
  fundingSource?: CodeableConcept;
  education?: ImmunizationEducation[];
  reaction?: Immunization['reaction'];
  observations: Observation[];
}

/**
 * Maps the OBX of one RXA. Unknown LOINC codes are ignored with an informational issue; unknown funding codes
 * give a warning and are dropped (CDC IG R1.5: funding data is RE, not a reason to reject the dose).
 * @param obxs - the OBX segments following the RXA.
 * @param tables - the code tables.
 * @param issues - issues are appended here.
 * @param doseCvx - the CVX of the RXA, for VIS reported without a vaccine type.
 * @returns the Immunization parts and patient-level observations.
 */
export function mapObservations(obxs: readonly Hl7Segment[], tables: CodeTables, issues: Hl7Issue[], doseCvx?: string): ObxMapping {
  const out: ObxMapping = { observations: [] };
  const education = new Map<string, ImmunizationEducation>();
  const eduOf = (obx: Hl7Segment) => {
    const key = val(obx, 4) || `#${obx.sequence}`;
    const e = education.get(key) ?? {};
    education.set(key, e);
    return e;
  };
  for (const obx of obxs) {
    const loinc = val(obx, 3);
    const at = { segment: 'OBX', sequence: obx.sequence };
    if (!loinc) {
      issues.push(hl7Issue({ ...at, field: 3 }, '101', 'W', 'OBX-3 observation identifier is missing; observation ignored', '7'));
      continue;
    }
    const value = obxValue(obx);
    if (!value) {
      issues.push(hl7Issue({ ...at, field: 5 }, '101', 'W', `OBX-5 value of observation ${loinc} is missing or invalid; observation ignored`, '7'));
      continue;
    }
    if (loinc === '64994-7') {
      const c = checkedConcept(obx, tables.eligibility, TABLE_URLS.eligibility, 'funding eligibility (HL70064)', issues);
      if (c) out.programEligibility = [...(out.programEligibility ?? []), c];
    } else if (loinc === '30963-3') {
      const c = checkedConcept(obx, tables.fundingSource, TABLE_URLS.fundingSource, 'funding source (CDCPHINVS)', issues);
      if (c) out.fundingSource = c;
    } else if (loinc === '69764-9') {
      const code = ceTriplets(reps(obx, 5)[0])[0];
      if (code) eduOf(obx).documentType = code.code;
    } else if (loinc === '30956-7') {
      if (value.valueCodeableConcept) eduOf(obx).extension = [{ url: EXT_VIS_VACCINE, valueCodeableConcept: value.valueCodeableConcept }];
    } else if (loinc === '29768-9' || loinc === '29769-7') {
      const d = value.valueDateTime;
      if (d) eduOf(obx)[loinc === '29768-9' ? 'publicationDate' : 'presentationDate'] = d;
    } else if (PATIENT_OBSERVATION_CODES[loinc]) {
      const effective = parseTs(val(obx, 14));
      const observation: Observation = {
        resourceType: 'Observation',
        status: 'final',
        code: { coding: [codingOf({ code: loinc, display: PATIENT_OBSERVATION_CODES[loinc] as string, system: 'LN' })] },
        subject: { reference: PATIENT_PLACEHOLDER },
        ...(effective ? { effectiveDateTime: effective.dateTime } : {}),
        ...value,
      };
      out.observations.push(observation);
      if (loinc === '31044-1') {
        out.reaction = [...(out.reaction ?? []), { ...(effective ? { date: effective.dateTime } : {}), detail: { display: value.valueCodeableConcept?.coding?.[0]?.code ?? value.valueString ?? 'reaction' } }];
      }
    } else {
      issues.push(hl7Issue({ ...at, field: 3 }, '103', 'I', `OBX-3 observation ${loinc} is not used by the registry; observation ignored`, '8'));
    }
  }
  const resolved = [...education.values()].map((e) => resolveVis(e, tables, doseCvx)).filter((e) => e !== undefined);
  if (resolved.length) out.education = resolved;
  return out;
}

/** Prefix of the name given to a VIS known only by vaccine type (see {@link resolveVis}). */
export const VIS_BY_VACCINE_URN = 'urn:iis:vis-by-vaccine:cvx:';

/**
 * A VIS reported by vaccine type (30956-7 + 29768-9, no 69764-9) is named by its GDTI through the cvx-to-vis map
 * (FHIR imm-1 needs documentType or reference). When the edition cannot be told (a combination vaccine has several
 * VIS, or the date matches no edition), `reference` gets the name `urn:iis:vis-by-vaccine:cvx:<cvx>`, a name and
 * not a pointer, so that nothing the sender said is lost.
 */
function resolveVis(e: ImmunizationEducation, tables: CodeTables, doseCvx: string | undefined): ImmunizationEducation | undefined {
  if (e.documentType) return e;
  const vaccine = e.extension?.[0]?.valueCodeableConcept?.coding?.[0]?.code;
  const published = e.publicationDate?.slice(0, 10);
  const gdti = [vaccine, doseCvx].filter((c): c is string => !!c).map((c) => visDocumentOf(c, published, tables)).find(Boolean);
  if (gdti) return { ...e, documentType: gdti };
  const cvx = vaccine ?? doseCvx;
  return cvx ? { ...e, reference: `${VIS_BY_VACCINE_URN}${cvx}` } : undefined;
}
