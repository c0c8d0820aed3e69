import type { Patient } from '@medplum/fhirtypes';
import type { UserRecord } from '../store/auth-store.ts';
import type { AuthServer } from './auth-server.ts';
import { patientOptions, type PatientOption } from './patient-choices.ts';
import { STATIC_SCOPES } from './provider-config.ts';
import { grantableUserScopes, isResourceScope, splitScopes } from './scopes.ts';

/** The parts of oidc-provider's interaction details the consent step reads. */
export interface InteractionParams {
  client_id: string;
  scope?: string;
  launch?: string;
}

/** What the consent page shows, or why the request cannot go on. */
export interface ConsentView {
  scopes: string[];
  patients?: PatientOption[];
  askPatientId?: boolean;
  error?: string;
}

/** Seconds a grant's launch context is kept (as long as a refresh token can live). */
const CONTEXT_TTL = 30 * 24 * 3600;

async function patientExists(auth: AuthServer, id: string): Promise<boolean> {
  try {
    await auth.repo.readResource<Patient>('Patient', id);
    return true;
  } catch {
    return false;
  }
}

/**
 * Works out what to ask: the scopes the user can grant and, for `launch/patient` without an EHR launch, the patient
 * picker (a patient or guardian chooses among themself and their minor children; staff type a Patient id).
 * https://hl7.org/fhir/smart-app-launch/scopes-and-launch-context.html#scopes-for-requesting-context-data
 * @param auth - the authorization server.
 * @param params - the authorization request.
 * @param user - the signed-in user.
 * @returns the view.
 */
export async function planConsent(auth: AuthServer, params: InteractionParams, user: UserRecord): Promise<ConsentView> {
  const requested = splitScopes(params.scope);
  const client = await auth.store.findClient(params.client_id);
  const scopes = [...requested.filter((s) => STATIC_SCOPES.includes(s)), ...grantableUserScopes(requested, user.role, client?.scopes)];
  if (requested.includes('launch')) {
    const launch = params.launch ? await auth.contexts.findLaunch(params.launch) : undefined;
    return launch ? { scopes } : { scopes, error: 'The launch context is missing or has expired; launch the app again from the EHR.' };
  }
  if (!requested.includes('launch/patient')) return { scopes };
  if (user.role !== 'patient') return { scopes, askPatientId: true };
  const patients = await patientOptions(user, auth.repo);
  return patients.length ? { scopes, patients } : { scopes, error: 'No patient record is linked to your account.' };
}

/**
 * Records the user's consent as an oidc-provider Grant: the identity/context scopes asked for, the grantable
 * resource scopes (others rejected), and the launch context (patient and fhirUser) stored beside the grant.
 * @param auth - the authorization server.
 * @param params - the authorization request.
 * @param user - the signed-in user.
 * @param chosenPatient - the patient picked on the consent page, if any.
 * @returns the grant id, or an error to show.
 */
export async function completeConsent(auth: AuthServer, params: InteractionParams, user: UserRecord, chosenPatient?: string): Promise<{ grantId: string } | { error: string }> {
  const view = await planConsent(auth, params, user);
  if (view.error) return { error: view.error };
  const requested = splitScopes(params.scope);
  let patient: string | undefined;
  let fhirUser = user.fhirUser[0];
  if (requested.includes('launch') && params.launch) {
    patient = (await auth.contexts.findLaunch(params.launch))?.patient;
  } else if (view.patients) {
    const choice = view.patients.length === 1 && !chosenPatient ? view.patients[0] : view.patients.find((p) => p.id === chosenPatient);
    if (!choice) return { error: 'Choose one of the patients listed.' };
    patient = choice.id;
    fhirUser = choice.fhirUser;
  } else if (view.askPatientId) {
    if (!chosenPatient || !(await patientExists(auth, chosenPatient))) return { error: 'No patient has that id.' };
    patient = chosenPatient;
  }
  const grant = new auth.provider.Grant({ accountId: user.username, clientId: params.client_id });
  const oidcScopes = view.scopes.filter((s) => STATIC_SCOPES.includes(s));
  const granted = view.scopes.filter(isResourceScope);
  const rejected = requested.filter((s) => isResourceScope(s) && !granted.includes(s));
  if (oidcScopes.length) grant.addOIDCScope(oidcScopes.join(' '));
  if (granted.length) grant.addResourceScope(auth.fhirBase, granted.join(' '));
  if (rejected.length) grant.rejectResourceScope(auth.fhirBase, rejected.join(' '));
  const grantId = await grant.save();
  await auth.contexts.saveGrantContext(grantId, { ...(patient ? { patient } : {}), ...(fhirUser ? { fhirUser } : {}) }, CONTEXT_TTL);
  return { grantId };
}
