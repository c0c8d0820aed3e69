/**
 * QBP^Q11^QBP_Q11 queries, profiles Z34 (request immunization history) and Z44 (request evaluated history and
 * forecast) (CDC IG R1.5 section 5.3 "Query" and section 6 "QPD", "RCP"; QPD field order of the Z34/Z44 query
 * profiles: identifiers, name, mother's maiden name, birth date, sex, address, phone, multiple birth, birth order).
 */
import type { Address, ContactPoint, HumanName, Identifier } from '@medplum/fhirtypes';
import { hl7Issue, type Hl7Issue } from './issues.ts';
import type { ParsedMessage } from './message.ts';
import { reps, val, type Hl7Segment } from './segments.ts';
import { cxToIdentifier, parseTs, xadToAddress, xpnToName, xtnToContact } from './datatypes.ts';

/** A parsed query. */
export interface QbpQuery {
  profile: 'Z34' | 'Z44';
  /** QPD-2, echoed in QAK-1. */
  queryTag: string;
  identifiers: Identifier[];
  name?: HumanName;
  mothersMaidenName?: string;
  /** YYYY-MM-DD. */
  birthDate?: string;
  /** FHIR gender. */
  sex?: 'male' | 'female' | 'unknown' | 'other';
  address?: Address;
  phone?: ContactPoint;
  /** QPD-10 Y/N. */
  multipleBirth?: boolean;
  /** QPD-11. */
  birthOrder?: number;
  /** RCP-2.1: maximum candidates (Z31) to return. */
  quantityLimit: number;
  /** The QPD as received, for the echo in the response. */
  qpd: Hl7Segment;
}

/** Result of {@link parseQbp}: the query, or the issues (with the QPD when present, so Z33 can echo it). */
export type QbpResult = { ok: true; query: QbpQuery; issues: Hl7Issue[] } | { ok: false; issues: Hl7Issue[]; qpd?: Hl7Segment; queryTag?: string; profile?: 'Z34' | 'Z44' };

/** RCP-2 default when the query does not say (CDC IG R1.5 leaves it to the IIS). */
export const DEFAULT_QUANTITY_LIMIT = 10;

const GENDER = { M: 'male', F: 'female', U: 'unknown', O: 'other' } as const;

/**
 * Reads a Z34 or Z44 query. Errors: missing QPD (100), unknown query name QPD-1 (103), missing query tag QPD-2
 * (101), no identifier and no name with birth date (101); invalid birth date (102).
 * @param msg - the parsed QBP (header already checked).
 * @returns the query or issues.
 */
export function parseQbp(msg: ParsedMessage): QbpResult {
  const qpd = msg.segments.find((s) => s.name === 'QPD');
  if (!qpd) return { ok: false, issues: [hl7Issue({ segment: 'QPD', sequence: 1 }, '100', 'E', 'Required QPD segment is missing')] };
  const issues: Hl7Issue[] = [];
  const at = (field: number, component?: number) => ({ segment: 'QPD', sequence: qpd.sequence, field, ...(component ? { component } : {}) });
  const name = val(qpd, 1).toUpperCase() || msg.header.profileId;
  const profile = name === 'Z34' || name === 'Z44' ? name : undefined;
  if (!profile) issues.push(hl7Issue(at(1, 1), '103', 'E', `Query name ${name || '(empty)'} is not Z34 or Z44`, '5'));
  const queryTag = val(qpd, 2);
  if (!queryTag) issues.push(hl7Issue(at(2), '101', 'E', 'Required field QPD-2 query tag is missing', '7'));
  const identifiers = reps(qpd, 3).map(cxToIdentifier).filter((i) => i !== undefined);
  const legal = xpnToName(reps(qpd, 4)[0]);
  const dob = val(qpd, 6);
  const birth = parseTs(dob);
  if (dob && (!birth || birth.date.length !== 10)) issues.push(hl7Issue(at(6), '102', 'E', 'QPD-6 date of birth is not a valid date', '2'));
  if (!identifiers.length && !(legal?.family && birth)) {
    issues.push(hl7Issue(at(3), '101', 'E', 'The query needs a patient identifier (QPD-3) or a name (QPD-4) and date of birth (QPD-6)', '7'));
  }
  const sex = GENDER[val(qpd, 7).toUpperCase() as keyof typeof GENDER];
  const multiple = val(qpd, 10).toUpperCase();
  const order = val(qpd, 11);
  const rcp = msg.segments.find((s) => s.name === 'RCP');
  const limitRaw = val(rcp, 2, 1);
  if (limitRaw && !/^\d+$/.test(limitRaw)) issues.push(hl7Issue({ segment: 'RCP', sequence: 1, field: 2 }, '102', 'W', 'RCP-2 quantity limit is not a number; default used', '4'));
  const limit = /^\d+$/.test(limitRaw) && Number(limitRaw) > 0 ? Number(limitRaw) : DEFAULT_QUANTITY_LIMIT;
  if (issues.some((i) => i.severity === 'E') || !profile) {
    return { ok: false, issues, qpd, ...(queryTag ? { queryTag } : {}), ...(profile ? { profile } : {}) };
  }
  const address = xadToAddress(reps(qpd, 8)[0]);
  const phone = xtnToContact(reps(qpd, 9)[0]);
  return {
    ok: true,
    issues,
    query: {
      profile,
      queryTag,
      identifiers,
      ...(legal ? { name: legal } : {}),
      ...(val(qpd, 5, 1) ? { mothersMaidenName: val(qpd, 5, 1) } : {}),
      ...(birth ? { birthDate: birth.date } : {}),
      ...(sex ? { sex } : {}),
      ...(address ? { address } : {}),
      ...(phone ? { phone } : {}),
      ...(multiple === 'Y' || multiple === 'N' ? { multipleBirth: multiple === 'Y' } : {}),
      ...(/^\d+$/.test(order) ? { birthOrder: Number(order) } : {}),
      quantityLimit: limit,
      qpd,
    },
  };
}
