import type { Organization } from '@medplum/fhirtypes';
import { parseArgs } from 'node:util';
import { ConfigError } from '../config.ts';
import type { Core } from '../core.ts';
import { handleFhirRequest } from '../interactions/router.ts';
import { Hl7SenderStore } from '../store/hl7-sender-store.ts';

/** Identifier system of the facility ids of HL7 v2 senders (SOAP facilityID, MSH-4.1). */
export const FACILITY_ID_SYSTEM = 'urn:iis:facility-id';

/** Usage of the `sender` command. */
export const SENDER_USAGE = `  sender add --facility-id ID --name NAME --username USER --password-stdin
                               register an HL7 v2 sender (SOAP credentials, MLLP MSH-4) and its Organization
  sender list                  list registered HL7 v2 senders`;

/**
 * Finds the Organization of a facility id, or creates it through the FHIR interactions (validated, versioned and
 * audited like any write) with a conditional create on its `urn:iis:facility-id` identifier.
 * @param core - the registry core.
 * @param facilityId - the facility id.
 * @param name - the organization name used when it is created.
 * @returns the Organization id and whether it was created.
 */
export async function ensureFacilityOrganization(core: Core, facilityId: string, name: string): Promise<{ id: string; created: boolean }> {
  const body: Organization = { resourceType: 'Organization', active: true, name, identifier: [{ system: FACILITY_ID_SYSTEM, value: facilityId }] };
  const res = await handleFhirRequest(
    { method: 'POST', path: 'Organization', query: [], headers: { ifNoneExist: `identifier=${encodeURIComponent(`${FACILITY_ID_SYSTEM}|${facilityId}`)}`, prefer: 'return=representation' }, body },
    core.systemContext('cli-sender-add'),
  );
  const id = res.resource?.id ?? res.location?.match(/Organization\/([^/]+)/)?.[1];
  if (!id || res.status >= 300) throw new Error(`the Organization for facility ${facilityId} could not be created (HTTP ${res.status})`);
  return { id, created: res.status === 201 };
}

/**
 * Runs `sender add|list`. Written as a plain function of the core so it can run in the CLI process or be forwarded
 * to a running server.
 * @param core - the registry core.
 * @param args - arguments after `sender`.
 * @param stdinText - standard input (the password for `--password-stdin`).
 * @returns the text to print.
 * @throws ConfigError for bad arguments.
 */
export async function runSenderCommand(core: Core, args: string[], stdinText: string): Promise<string> {
  const [sub, ...rest] = args;
  const senders = new Hl7SenderStore(core.db);
  if (sub === 'list') {
    const rows = await senders.list();
    return rows.map((r) => `${r.facilityId}\t${r.username}\tOrganization/${r.organizationId}\t${r.name}`).join('\n') || 'no senders registered';
  }
  if (sub !== 'add') throw new ConfigError(`usage:\n${SENDER_USAGE}`);
  const { values } = parseArgs({
    args: rest,
    options: { 'facility-id': { type: 'string' }, name: { type: 'string' }, username: { type: 'string' }, 'password-stdin': { type: 'boolean' } },
  });
  const facilityId = values['facility-id']?.trim();
  const name = values.name?.trim();
  const username = values.username?.trim();
  if (!facilityId || !name || !username) throw new ConfigError('sender add needs --facility-id, --name and --username');
  if (!values['password-stdin']) throw new ConfigError('sender add reads the password from standard input: pass --password-stdin (never on the command line)');
  const password = stdinText.replace(/\r?\n$/, '');
  if (password.length < 8) throw new ConfigError('the password must have at least 8 characters');
  if (await senders.byFacility(facilityId)) throw new ConfigError(`facility ${facilityId} is already registered`);
  const org = await ensureFacilityOrganization(core, facilityId, name);
  try {
    await senders.add({ facilityId, organizationId: org.id, name, username, password });
  } catch (err) {
    throw new ConfigError(err instanceof Error ? err.message : String(err));
  }
  return `registered sender ${facilityId} (username ${username}) for Organization/${org.id}${org.created ? ' (created)' : ''}`;
}
