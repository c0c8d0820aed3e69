import type { Patient, RelatedPerson } from '@medplum/fhirtypes';
import type { Repository } from '../store/repository.ts';
import type { UserRecord } from '../store/auth-store.ts';

/** A patient a patient-role user may act for, and the fhirUser they act as. */
export interface PatientOption {
  id: string;
  label: string;
  /** `Patient/x` for oneself, `RelatedPerson/y` for a child. */
  fhirUser: string;
}

/** Age of majority: a guardian reaches a child's record only before it. */
const AGE_OF_MAJORITY = 18;

/**
 * Whether a birth date makes the person a minor today. A missing birth date is not a minor: access through a
 * guardian must be proven, never assumed.
 * @param birthDate - FHIR date (YYYY, YYYY-MM or YYYY-MM-DD).
 * @param today - the reference day.
 * @returns true when under 18.
 */
export function isMinor(birthDate: string | undefined, today = new Date()): boolean {
  if (!birthDate) return false;
  // An imprecise date reads as its earliest possible day (the oldest age), so an adult is never taken for a minor.
  const [y, m = '01', d = '01'] = birthDate.split('-');
  const adultDay = new Date(Date.UTC(Number(y) + AGE_OF_MAJORITY, Number(m) - 1, Number(d)));
  return adultDay.getTime() > today.getTime();
}

function label(p: Patient, relation: string): string {
  const n = p.name?.[0];
  const name = [n?.given?.join(' '), n?.family].filter(Boolean).join(' ') || `Patient ${p.id ?? ''}`;
  return `${name}${p.birthDate ? ` (born ${p.birthDate})` : ''} - ${relation}`;
}

async function readOrUndefined<T>(read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch {
    return undefined;
  }
}

/**
 * The patients a patient-role user may choose in the standalone-launch patient picker: themself (a `Patient/x`
 * fhirUser reference) and each minor child reached through one of their `RelatedPerson/y` references (whose
 * `patient` is the child). Adult children are never offered.
 * @param user - the signed-in user.
 * @param repo - the repository.
 * @returns the options, in the order of the user's references.
 */
export async function patientOptions(user: UserRecord, repo: Repository): Promise<PatientOption[]> {
  const out: PatientOption[] = [];
  for (const ref of user.fhirUser) {
    const [type, id] = ref.split('/');
    if (!id) continue;
    if (type === 'Patient') {
      const p = await readOrUndefined(() => repo.readResource<Patient>('Patient', id));
      if (p) out.push({ id, label: label(p, 'yourself'), fhirUser: ref });
    } else if (type === 'RelatedPerson') {
      const rp = await readOrUndefined(() => repo.readResource<RelatedPerson>('RelatedPerson', id));
      const childId = rp?.active === false ? undefined : rp?.patient?.reference?.match(/^Patient\/([^/]+)$/)?.[1];
      const child = childId ? await readOrUndefined(() => repo.readResource<Patient>('Patient', childId)) : undefined;
      if (child?.id && isMinor(child.birthDate) && !out.some((o) => o.id === child.id)) {
        out.push({ id: child.id, label: label(child, 'your child'), fhirUser: ref });
      }
    }
  }
  return out;
}
