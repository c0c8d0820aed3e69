import type { AccessClaims } from '../../auth/access-claims.ts';
import { AccessPolicy } from '../../auth/policy.ts';
import type { FhirContext, Services } from '../../interactions/types.ts';
import type { Repository } from '../../store/repository.ts';

/** A registered HL7 v2 sender as the transports identify it. */
export interface SenderIdentity {
  organizationId: string;
  facilityId: string;
  name: string;
}

/**
 * The FHIR context an HL7 v2 sender acts in: an `ehr-system` of its organization, so a VXU is held to the same
 * rules as a FHIR write by the same EHR (DESIGN.md: every entry point goes through the same access check).
 * @param services - the server's services.
 * @param repo - the repository (a transaction's, when inside one).
 * @param sender - the sender.
 * @param requestId - the message's id in the message log, for the audit trail.
 * @param address - network address of the sender.
 * @returns the context.
 */
export function senderContext(services: Services, repo: Repository, sender: SenderIdentity, requestId: string, address?: string): FhirContext {
  const claims: AccessClaims = {
    sub: `hl7:${sender.facilityId}`,
    clientId: 'hl7v2',
    role: 'ehr-system',
    organization: sender.organizationId,
    scopes: ['system/Patient.cruds', 'system/Immunization.cruds', 'system/RelatedPerson.cruds', 'system/Provenance.cruds', 'system/Observation.cruds', 'system/*.rs'],
    expiresAt: Number.MAX_SAFE_INTEGER,
  };
  const access = new AccessPolicy(claims, services);
  return {
    services,
    repo: repo.withAccess(access),
    requestId,
    access,
    actor: { name: claims.sub, clientId: 'hl7v2', role: 'ehr-system', reference: `Organization/${sender.organizationId}`, ...(address ? { address } : {}) },
  };
}
