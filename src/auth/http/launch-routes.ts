import type { FastifyInstance } from 'fastify';
import type { Patient } from '@medplum/fhirtypes';
import type { AuthServer } from '../auth-server.ts';
import type { Role } from '../access-claims.ts';

/** Roles that may start an EHR launch: staff and EHR systems, never patients or analysts. */
const LAUNCHER_ROLES: readonly Role[] = ['clinic-staff', 'vaccine-coordinator', 'provider-lookup', 'school-nurse', 'health-department', 'state-admin', 'ehr-system'];

/**
 * `POST /auth/launch` with a bearer token of a staff user or EHR system and `{"patient": "id"}`: creates an EHR
 * launch context and answers `{"launch": "...", "patient": "id"}`; the EHR then opens the app with
 * `?iss=<FHIR base>&launch=<launch>` (https://hl7.org/fhir/smart-app-launch/app-launch.html#launch-app-ehr-launch).
 * The launch value is usable for ten minutes.
 * @param app - the Fastify instance.
 * @param auth - the authorization server.
 */
export async function launchRoutes(app: FastifyInstance, auth: AuthServer): Promise<void> {
  app.post('/auth/launch', async (request, reply) => {
    const token = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
    const claims = token ? await auth.verifyAccessToken(token).catch(() => undefined) : undefined;
    if (!claims) return reply.status(401).header('www-authenticate', 'Bearer error="invalid_token"').send({ error: 'invalid_token' });
    if (!LAUNCHER_ROLES.includes(claims.role)) return reply.status(403).send({ error: 'insufficient_scope', error_description: 'this role cannot start an EHR launch' });
    const patient = (request.body as { patient?: unknown } | undefined)?.patient;
    if (typeof patient !== 'string' || !patient) return reply.status(400).send({ error: 'invalid_request', error_description: 'patient (a Patient id) is required' });
    try {
      await auth.repo.readResource<Patient>('Patient', patient);
    } catch {
      return reply.status(404).send({ error: 'invalid_request', error_description: 'no such patient' });
    }
    const launch = await auth.contexts.createLaunch({ patient, createdBy: claims.sub });
    return reply.status(201).send({ launch, patient, iss: auth.fhirBase });
  });
}
