// TEMPORARY placeholder until the demo generator lands; replaced in the merge.
import type { Bundle } from '@medplum/fhirtypes';
export function generateDemoBundle(): Bundle {
  return { resourceType: 'Bundle', type: 'transaction', entry: [] };
}
