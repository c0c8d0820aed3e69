import type { Bundle } from '@medplum/fhirtypes';
import type { Core } from '../../core.ts';
import { handleFhirRequest } from '../../interactions/router.ts';
import { seedDemoAccounts } from '../../auth/demo-accounts.ts';

/**
 * Loads the demo data set on first start: when the database holds no Patient, the generated transaction Bundle is
 * posted through the same interactions as a client's (so it is validated and indexed like real data). Then one demo
 * user per role and the demo clients are created, linked to the new resources (see src/auth/demo-accounts.ts).
 * @param core - the registry core.
 * @returns the number of resources loaded (0 when the database already had data).
 */
export async function seedDemoDataIfEmpty(core: Core): Promise<number> {
  const rows = await core.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM resource WHERE resource_type = 'Patient'`);
  if ((rows[0]?.n ?? 0) > 0) return 0;
  const { generateDemoBundle } = await import('./index.ts');
  const bundle: Bundle = generateDemoBundle();
  const res = await handleFhirRequest(
    { method: 'POST', path: '', query: [], headers: { prefer: 'return=minimal' }, body: bundle },
    core.systemContext('seed'),
  );
  const response = res.resource as Bundle | undefined;
  if (response) await seedDemoAccounts(core.db, core.config.dataDir, bundle, response);
  return response?.entry?.length ?? 0;
}
