import type { OperationOutcomeIssue, Resource } from '@medplum/fhirtypes';
import type { ResourceTypeRegistry } from '../fhir/resource-types.ts';
import type { SearchParameterRegistry } from '../fhir/search/search-parameters.ts';
import type { AccessRestriction } from '../fhir/search/search-request.ts';
import type { Actor, AuditFacts } from '../registry/audit-event.ts';
import type { AuditSink } from '../registry/audit-sink.ts';
import type { ForecastService } from '../registry/forecast/forecast-service.ts';
import type { Repository } from '../store/repository.ts';
import type { OperationRegistry } from './operations/registry.ts';

/** HTTP methods of the FHIR RESTful API. */
export type FhirMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** A FHIR interaction request, independent of the transport (HTTP route, bundle entry, HL7 v2, CLI). */
export interface FhirRequest {
  method: FhirMethod;
  /** Path relative to the FHIR base, without leading slash (`Patient/123/_history/2`, `` for the base). */
  path: string;
  /** Query parameters in order, repeated names kept. */
  query: [string, string][];
  headers: {
    ifMatch?: string;
    ifNoneExist?: string;
    ifNoneMatch?: string;
    ifModifiedSince?: string;
    prefer?: string;
    contentType?: string;
  };
  body?: unknown;
  /** Id chosen in advance for a create (transaction bundles resolve `urn:uuid:` references before writing). */
  assignedId?: string;
}

/** The result of an interaction. */
export interface FhirResponse {
  status: number;
  /** The body as a resource (Bundle, OperationOutcome, …). */
  resource?: Resource;
  /** The body as JSON text, when it was read from the store without parsing (fast read path). */
  text?: string;
  location?: string;
  /** Version id for the ETag header (`W/"n"`). */
  versionId?: string;
  lastModified?: string;
}

/** Outcome of validating a resource: base R4 violations (400), profile violations (422), and warnings. */
export interface ValidationReport {
  base: OperationOutcomeIssue[];
  profile: OperationOutcomeIssue[];
  warnings: OperationOutcomeIssue[];
}

/** Validates resources against R4 and the registry's profiles. */
export interface ResourceValidator {
  validate(resource: Resource, options?: { profiles?: string[] }): ValidationReport;
}

/** Long-lived, shared parts of the server that interactions use. */
export interface Services {
  /** The FHIR base URL (`http://host/fhir`). */
  fhirBaseUrl: string;
  resourceTypes: ResourceTypeRegistry;
  searchParameters: SearchParameterRegistry;
  validator: ResourceValidator;
  operations: OperationRegistry;
  /** Patient-compartment parameter codes per resource type (https://hl7.org/fhir/R4/compartmentdefinition-patient.html). */
  patientCompartment: Map<string, string[]>;
  /** Software version for the CapabilityStatement. */
  version: string;
  /** Where AuditEvents go (absent: auditing off, e.g. in pure unit tests). */
  audit?: AuditSink;
  /** The CDSi recommender. */
  forecast?: ForecastService;
}

/**
 * The caller's access control: SMART scopes and registry role (src/auth/policy.ts). The repository in the context
 * applies its rules in SQL; interactions ask it for the permission checks that come before any query.
 */
export interface AccessControl extends AccessRestriction {
  /** Throws 403 unless `perm` on `type` is allowed at all. */
  require(type: string, perm: 'c' | 'r' | 'u' | 'd' | 's'): void;
  /** Throws 403 unless the operation (name without `$`) may be invoked. */
  requireOperation(name: string): void;
  /** Sets what the server asserts about a write (e.g. the reporting organization), in place. */
  stamp(resource: Resource): void;
}

/** Everything one interaction runs with. */
export interface FhirContext {
  services: Services;
  /** The repository (bound to a transaction inside transaction bundles). */
  repo: Repository;
  /** Identifier of the request, echoed in errors and logs. */
  requestId: string;
  /** Who is asking (for the audit trail). */
  actor?: Actor;
  /**
   * A lookup the server makes for its own logic (e.g. matching a reported patient or dose during HL7 v2 intake):
   * its results are not disclosed to the caller, so reads and searches in it are not audited (writes still are).
   */
  internalLookup?: boolean;
  /** The caller's access control; absent for the server's own work. `repo` already applies it. */
  access?: AccessControl;
  /**
   * Inside a unit of work that writes many resources (HL7 v2 intake): the access checks of its writes, made at once
   * with `Repository.assertAccessMany` before it commits instead of after each write.
   */
  deferredAccess?: { type: string; id: string; perm: 'c' | 'u' }[];
  /** Inside a transaction bundle: patients whose stored forecast is refreshed once, at the end. */
  pendingForecasts?: Set<string>;
  /** Inside a transaction bundle: audit facts held until the transaction's outcome is known. */
  auditPending?: AuditFacts[];
  /**
   * Inside a transaction bundle: resources whose cross-record rules are checked once every entry is written, so
   * entry order does not matter (an Immunization may precede its Patient).
   */
  deferredRules?: Resource[];
}
