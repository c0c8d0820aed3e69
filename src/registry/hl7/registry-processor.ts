import { loadCodeTables } from '../../hl7v2/load-code-tables.ts';
import type { Services } from '../../interactions/types.ts';
import type { Repository } from '../../store/repository.ts';
import { createHl7Processor, type Hl7Inbound, type Hl7Outcome } from './processor.ts';
import { sameVaccineGroupFrom } from './vaccine-group.ts';

/** The registry's identity in HL7 v2 replies (MSH-3/MSH-4) and as the assigning authority of its patient ids. */
export const REGISTRY_HL7_ID = 'OPEN-IIS';

/**
 * The registry's HL7 v2 processor: CDC code tables from `profiles/`, dose de-duplication by the CDSi supporting
 * data's vaccine groups, replies signed as the registry.
 * @param services - the server's services.
 * @param repo - the repository.
 * @param options - `mllpQueries`: answer QBP over MLLP too (MLLP_QUERIES).
 * @returns the processor every transport calls.
 */
export async function createRegistryHl7Processor(services: Services, repo: Repository, options: { mllpQueries?: boolean } = {}): Promise<(msg: Hl7Inbound) => Promise<Hl7Outcome>> {
  const tables = await loadCodeTables();
  const sameVaccineGroup = services.forecast ? sameVaccineGroupFrom(services.forecast.data.cvxToAntigens) : (a: string, b: string) => a === b;
  return createHl7Processor({ services, repo, tables, sendingApp: REGISTRY_HL7_ID, sendingFacility: REGISTRY_HL7_ID, iisAuthority: REGISTRY_HL7_ID, sameVaccineGroup, mllpQueries: options.mllpQueries ?? false });
}
