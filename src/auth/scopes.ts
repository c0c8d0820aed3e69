/**
 * SMART App Launch scope grammar (https://hl7.org/fhir/smart-app-launch/scopes-and-launch-context.html).
 * v2: `patient/Immunization.rs`, `user/*.cruds`, `system/*.rs`, optionally with a `?param=value` query;
 * v1: `patient/*.read`, `user/Patient.write`, `system/*.*`.
 */
const RESOURCE_SCOPE = /^(patient|user|system)\/(\*|[A-Z][A-Za-z]+)\.(c?r?u?d?s?|read|write|\*)(\?[^\s]*)?$/;

/** Launch-context and identity scopes this server understands besides resource scopes. */
export const CONTEXT_SCOPES = ['openid', 'fhirUser', 'profile', 'launch', 'launch/patient', 'offline_access', 'online_access'] as const;

/**
 * Whether a scope is a SMART resource scope (v1 or v2).
 * @param scope - one scope.
 * @returns true for e.g. `patient/Immunization.rs` or `user/*.read`.
 */
export function isResourceScope(scope: string): boolean {
  const m = RESOURCE_SCOPE.exec(scope);
  return !!m && m[3] !== '';
}

/**
 * The context (`patient`, `user`, `system`) of a resource scope.
 * @param scope - a resource scope.
 * @returns its context, or undefined for other scopes.
 */
export function scopeContext(scope: string): 'patient' | 'user' | 'system' | undefined {
  return isResourceScope(scope) ? (scope.split('/')[0] as 'patient' | 'user' | 'system') : undefined;
}

/**
 * Splits a space-separated scope string into distinct scopes.
 * @param scope - the `scope` parameter.
 * @returns the scopes, in order, without duplicates.
 */
export function splitScopes(scope: string | undefined): string[] {
  return [...new Set((scope ?? '').split(' ').filter(Boolean))];
}

/**
 * Which resource scopes a user-facing app may be granted: `patient/` and `user/` ones (never `system/`), and only
 * `patient/` ones for the `patient` role (a patient or guardian acts within their own compartment).
 * @param requested - the requested scopes.
 * @param role - the signed-in user's role.
 * @param allowed - the client's registered scope list, if it has one.
 * @returns the grantable resource scopes.
 */
export function grantableUserScopes(requested: string[], role: string, allowed?: string): string[] {
  const allow = allowed ? new Set(splitScopes(allowed)) : undefined;
  return requested.filter((s) => {
    const ctx = scopeContext(s);
    if (!ctx || ctx === 'system') return false;
    if (role === 'patient' && ctx !== 'patient') return false;
    return !allow || allow.has(s);
  });
}

/**
 * Which scopes a backend service may be granted (SMART Backend Services: only `system/` scopes).
 * @param requested - the requested scopes.
 * @param allowed - the client's registered scope list, if it has one.
 * @returns the grantable scopes.
 */
export function grantableSystemScopes(requested: string[], allowed?: string): string[] {
  const allow = allowed ? new Set(splitScopes(allowed)) : undefined;
  return requested.filter((s) => scopeContext(s) === 'system' && (!allow || allow.has(s)));
}

/** SMART permissions: create, read, update, delete, search (SMART App Launch 2.0 §3.4 "Scopes for requesting FHIR resources"). */
export type Permission = 'c' | 'r' | 'u' | 'd' | 's';

/** One resource scope, normalised to v2 form. */
export interface ResourceScope {
  /** `patient`: the launch patient's compartment; `user`: what the user may see; `system`: what the client may see. */
  context: 'patient' | 'user' | 'system';
  /** A resource type or `*`. */
  resourceType: string;
  permissions: Set<Permission>;
}

/**
 * Parses SMART resource scopes, v2 (`patient/Immunization.rs`, permissions in the order c r u d s) and v1
 * (`user/Patient.read` = rs, `.write` = cud, `.*` = cruds), per SMART App Launch 2.0 §3.4 and its v1 mapping
 * (§3.4.2). Other scopes (`openid`, `launch/patient`, …) and malformed ones are skipped. Query-constrained v2 scopes
 * (`?category=…`) are not honoured as grants: they would need a narrower filter than this server applies.
 * @param scopes - granted scopes.
 * @returns the resource scopes.
 */
export function parseResourceScopes(scopes: string[]): ResourceScope[] {
  const out: ResourceScope[] = [];
  for (const s of scopes) {
    // One grammar for the server and the FHIR side (RESOURCE_SCOPE): v2 permissions in canonical order c r u d s.
    const m = RESOURCE_SCOPE.exec(s);
    if (!m || !m[3] || m[4]) continue;
    const perms = m[3] === 'read' ? 'rs' : m[3] === 'write' ? 'cud' : m[3] === '*' ? 'cruds' : m[3];
    out.push({ context: m[1] as ResourceScope['context'], resourceType: m[2] as string, permissions: new Set([...perms] as Permission[]) });
  }
  return out;
}

/**
 * Which contexts grant a permission on a type.
 * @param scopes - parsed scopes.
 * @param type - resource type.
 * @param perm - the permission.
 * @returns the contexts (`patient`, `user`, `system`) whose scopes grant it.
 */
export function grantingContexts(scopes: ResourceScope[], type: string, perm: Permission): Set<ResourceScope['context']> {
  const out = new Set<ResourceScope['context']>();
  for (const s of scopes) if ((s.resourceType === '*' || s.resourceType === type) && s.permissions.has(perm)) out.add(s.context);
  return out;
}
