import { buildApp, type Registry } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { runSenderCommand } from '../../src/cli/sender-commands.ts';
import { openTestPglite } from '../helpers/pglite-template.ts';
import { unique } from '../helpers/builders.ts';

let shared: Promise<Registry> | undefined;

/** Largest HL7 message of the test app, small so oversize cases stay cheap. */
export const TEST_MAX_BYTES = 20_000;

/**
 * The registry for HL7 transport tests: its own app (MLLP off until a test starts it), a fake bearer check
 * (`Bearer org:<organizationId>`) and a fake admin check (`Bearer admin`).
 * @returns the registry.
 */
export function hl7Registry(): Promise<Registry> {
  shared ??= (async () => {
    const config = loadConfig({
      ...process.env,
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
      BASE_URL: 'http://localhost:8080',
      SEED_DEMO_DATA: 'false',
      MLLP_ENABLED: 'false',
      HL7_MAX_MESSAGE_BYTES: String(TEST_MAX_BYTES),
    });
    const db = config.databaseUrl ? undefined : await openTestPglite();
    return buildApp(config, {
      ...(db ? { db } : {}),
      hl7: {
        authenticate: async (req) => {
          const m = /^Bearer org:(.+)$/.exec(req.headers.authorization ?? '');
          return m?.[1] ? { organizationId: m[1], clientId: `client-${m[1]}` } : null;
        },
        requireAdmin: async (req) => req.headers.authorization === 'Bearer admin',
      },
    });
  })();
  return shared;
}

/** A sender registered for a test. */
export interface TestSender {
  facilityId: string;
  username: string;
  password: string;
  organizationId: string;
}

/**
 * Registers a sender with unique facility id and username through the CLI command function.
 * @returns its credentials and Organization id.
 */
export async function registerTestSender(): Promise<TestSender> {
  const { core } = await hl7Registry();
  const facilityId = unique('FAC');
  const username = unique('user');
  const password = unique('pw-');
  const out = await runSenderCommand(core, ['add', '--facility-id', facilityId, '--name', `Clinic ${facilityId}`, '--username', username, '--password-stdin'], `${password}\n`);
  const organizationId = /Organization\/([^ ]+)/.exec(out)?.[1] ?? '';
  return { facilityId, username, password, organizationId };
}
