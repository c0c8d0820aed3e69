import { v7 } from 'uuid';

/**
 * A new server-assigned logical id (https://hl7.org/fhir/R4/resource.html#id): a time-ordered UUID, version 7 of
 * RFC 9562. Ids made one after another sort one after another, so each new row lands at the right-hand edge of the
 * primary key and of every per-resource index instead of on a random page: on a large database that is the
 * difference between appending to a page already in memory and reading (and logging a full image of) a cold one.
 * The 74 random bits keep ids unguessable; the first 48 bits reveal the creation millisecond, which
 * `meta.lastUpdated` of the first version already tells.
 * @returns the id.
 */
export function newResourceId(): string {
  return v7();
}
