import type { AccessRestriction, AccessRule, SearchFilter } from '../fhir/search/search-request.ts';
import { forbidden } from '../fhir/outcomes.ts';
import { parseSearchRequest } from '../fhir/search/parse-search-request.ts';
import type { SearchParameterRegistry } from '../fhir/search/search-parameters.ts';
import type { AccessClaims } from './access-claims.ts';
import { DIRECTORY_TYPES, RECORD_TYPES, ROLE_GRANTS, type RoleGrant } from './roles.ts';
import { grantingContexts, parseResourceScopes, type Permission, type ResourceScope } from './scopes.ts';

/** Tag system naming the organization that reported an Immunization (the clinic or EHR facility that owns it). */
export const REPORTING_ORG_SYSTEM = 'urn:iis:reporting-organization';
/** Identifier system linking a guardian's RelatedPerson resources to their portal user name. */
export const PORTAL_USER_SYSTEM = 'urn:iis:portal-user';

/** Age below which a guardian may see a child's record. */
const MINOR_AGE_YEARS = 18;

/** Search parameter that names the owning organization of a type whose writes are organization-bound. */
const OWNER_PARAM: Record<string, (org: string) => [string, string]> = {
  Immunization: (org) => ['_tag', `${REPORTING_ORG_SYSTEM}|${org}`],
  PractitionerRole: (org) => ['organization', `Organization/${org}`],
  Location: (org) => ['organization', `Organization/${org}`],
  Group: (org) => ['managing-entity', `Organization/${org}`],
};


/** What the policy needs from the server. */
export interface PolicyServices {
  searchParameters: SearchParameterRegistry;
  /** Patient-compartment parameters per type. */
  patientCompartment: Map<string, string[]>;
}

/** Rule conjunction: (A1 ∨ A2) ∧ (B1 ∨ B2) = (A1∧B1) ∨ (A1∧B2) ∨ … */
export function andRules(a: AccessRule, b: AccessRule): AccessRule {
  if (a === 'none' || b === 'none') return 'none';
  if (a === 'all') return b;
  if (b === 'all') return a;
  return a.flatMap((x) => b.map((y) => [...x, ...y]));
}

/**
 * The access policy of one token: the registry role's row of the access table, narrowed by the SMART scopes the
 * token carries (SMART App Launch 2.0 §3.4: `patient/` scopes reach the launch patient's compartment, `user/` what
 * the user may see, `system/` what the client may see). Every answer is an AccessRule the store applies in SQL.
 */
export class AccessPolicy implements AccessRestriction {
  readonly grant: RoleGrant;
  private readonly scopes: ResourceScope[];
  private readonly cache = new Map<string, AccessRule>();

  /**
   * @param claims - the verified token.
   * @param services - search parameters and compartments.
   * @param now - the current time (minor-age cut-off).
   */
  constructor(
    readonly claims: AccessClaims,
    private readonly services: PolicyServices,
    private readonly now: Date = new Date(),
  ) {
    this.grant = ROLE_GRANTS[claims.role];
    this.scopes = parseResourceScopes(claims.scopes);
  }

  /**
   * Throws 403 unless the token's scopes and role allow `perm` on `type`.
   * @param type - resource type.
   * @param perm - permission.
   */
  require(type: string, perm: Permission): void {
    if (this.rule(type, perm) === 'none') throw forbidden(this.reason(type, perm));
  }

  /**
   * Throws 403 unless the role may invoke the operation.
   * @param name - operation name without `$`.
   */
  requireOperation(name: string): void {
    if (!this.grant.operations.includes('*') && !this.grant.operations.includes(name)) throw forbidden(`The ${this.claims.role} role may not invoke $${name}`);
  }

  /** @inheritdoc */
  rule(type: string, perm: Permission): AccessRule {
    const key = `${type}.${perm}`;
    let rule = this.cache.get(key);
    if (!rule) {
      rule = this.compute(type, perm);
      this.cache.set(key, rule);
    }
    return rule;
  }

  /**
   * Stamps what the server asserts about a write: the reporting organization of an Immunization written by an
   * organization-bound caller (its owner for later updates).
   * @param resource - the resource about to be written (changed in place).
   */
  stamp(resource: { resourceType: string; meta?: { tag?: { system?: string; code?: string }[] } }): void {
    const org = this.claims.organization;
    if (resource.resourceType !== 'Immunization' || !org || this.claims.role === 'state-admin') return;
    const tags = (resource.meta?.tag ?? []).filter((t) => t.system !== REPORTING_ORG_SYSTEM);
    resource.meta = { ...resource.meta, tag: [...tags, { system: REPORTING_ORG_SYSTEM, code: org }] };
  }

  private reason(type: string, perm: Permission): string {
    const what = { c: 'create', r: 'read', u: 'update', d: 'delete', s: 'search' }[perm];
    if (!grantingContexts(this.scopes, type, perm).size) return `The access token's scopes do not allow ${what} of ${type}`;
    return `The ${this.claims.role} role may not ${what} ${type}`;
  }

  private compute(type: string, perm: Permission): AccessRule {
    const contexts = grantingContexts(this.scopes, type, perm);
    if (!contexts.size) return 'none';
    const role = this.roleRule(type, perm);
    if (role === 'none' || contexts.has('user') || contexts.has('system')) return role;
    // Only patient/ scopes: the launch patient's compartment.
    const p = this.claims.patient;
    return p ? andRules(role, this.compartmentOf(type, [[['_id', p]]], (code) => [[[code, `Patient/${p}`]]])) : 'none';
  }

  private roleRule(type: string, perm: Permission): AccessRule {
    const g = this.grant;
    if (type === 'AuditEvent') return g.audit && (perm === 'r' || perm === 's') ? 'all' : 'none';
    const isRecord = RECORD_TYPES.includes(type);
    if (!isRecord && !DIRECTORY_TYPES.includes(type)) return 'none';
    let read: AccessRule = 'none';
    if (!isRecord) read = g.directory ? 'all' : 'none';
    else if (g.records === 'statewide') read = 'all';
    else if (g.records === 'jurisdiction') read = this.jurisdictionRule(type);
    else if (g.records === 'self') read = this.selfRule(type);
    if (perm === 'r' || perm === 's') return read;
    const w = g.writes[type];
    if (!w?.perms.includes(perm)) return 'none';
    if (w.owner === 'any') return 'all';
    const org = this.claims.organization;
    const owner = OWNER_PARAM[type];
    return org && owner ? this.parse(type, [[owner(org)]]) : 'none';
  }

  private jurisdictionRule(type: string): AccessRule {
    const j = this.claims.jurisdiction;
    if (!j) return 'none';
    // A two-letter code is a state (Patient.address.state); anything else a town (Patient.address.city).
    const [param, value] = /^[A-Z]{2}$/.test(j) ? ['address-state', j] : ['address-city:exact', j];
    return this.compartmentOf(type, [[[param, value]]], (code) => [[[`${code}:Patient.${param}`, value]]]);
  }

  private selfRule(type: string): AccessRule {
    if (type === 'Group') return 'none';
    const self = this.claims.fhirUser?.startsWith('Patient/') ? this.claims.fhirUser.slice(8) : undefined;
    const cutoff = new Date(this.now);
    cutoff.setUTCFullYear(cutoff.getUTCFullYear() - MINOR_AGE_YEARS);
    const day = cutoff.toISOString().slice(0, 10);
    const child = `_has:RelatedPerson:patient:identifier`;
    const link = `${PORTAL_USER_SYSTEM}|${this.claims.sub}`;
    // A guardian's grant names the RelatedPerson of the chosen child as fhirUser (SMART standalone launch picker).
    const related = this.claims.fhirUser?.startsWith('RelatedPerson/') ? this.claims.fhirUser.slice(14) : undefined;
    const patientAlts: [string, string][][] = [[[child, link], ['birthdate', `gt${day}`]]];
    if (related) patientAlts.push([['_has:RelatedPerson:patient:_id', related], ['birthdate', `gt${day}`]]);
    if (self) patientAlts.unshift([['_id', self]]);
    return this.compartmentOf(type, patientAlts, (code) => {
      const alts: [string, string][][] = [[[`${code}:Patient.${child}`, link], [`${code}:Patient.birthdate`, `gt${day}`]]];
      if (related) alts.push([[`${code}:Patient._has:RelatedPerson:patient:_id`, related], [`${code}:Patient.birthdate`, `gt${day}`]]);
      if (self) alts.unshift([[code, `Patient/${self}`]]);
      return alts;
    });
  }

  /** A Patient rule, carried to the types in the patient compartment through their compartment parameters. */
  private compartmentOf(type: string, patient: [string, string][][], viaCode: (code: string) => [string, string][][]): AccessRule {
    if (type === 'Patient') return this.parse(type, patient);
    const codes = [...new Set(this.services.patientCompartment.get(type) ?? [])];
    if (!codes.length) return DIRECTORY_TYPES.includes(type) ? 'all' : 'none';
    return this.parse(type, codes.flatMap(viaCode));
  }

  private parse(type: string, alternatives: [string, string][][]): SearchFilter[][] {
    return alternatives.map((pairs) => parseSearchRequest(this.services.searchParameters, [type], pairs, { strict: true }).filters);
  }
}
