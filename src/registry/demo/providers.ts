/**
 * The organisations of the demo data set: four clinics with their locations and practitioners, the state health
 * department that runs the registry, and a few schools (for school-nurse access later). All names are fictional.
 */
import type { Address, Location, Organization, Practitioner, PractitionerRole, Resource } from '@medplum/fhirtypes';
import type { Prng } from './prng.ts';
import { NPI_SYSTEM, NPI_TYPE, makeNpi } from './identifiers.ts';
import { fictionalPhone } from './ct-places.ts';

/** A bundle entry under construction: a `urn:uuid:` full URL and its resource. */
export interface DemoEntry {
  /** `urn:uuid:` full URL that other entries reference. */
  readonly fullUrl: string;
  /** The resource, without an id (the server assigns one). */
  readonly resource: Resource;
}

/** A clinic with what the immunization builder needs to reference. */
export interface DemoClinic {
  /** Short slug used in the clinic's MRN system. */
  readonly slug: string;
  /** Organization full URL. */
  readonly orgUrl: string;
  /** Location full URL. */
  readonly locationUrl: string;
  /** Practitioner full URLs (administering providers). */
  readonly practitionerUrls: readonly string[];
  /** True for paediatric practices (they see children only). */
  readonly pediatric: boolean;
  /** True for a federally qualified health center (patients are more often VFC eligible). */
  readonly fqhc: boolean;
  /** Brand preference used for product choice. */
  readonly preference: 0 | 1;
  /** Address of the clinic. */
  readonly address: Address;
}

/** Everything {@link buildProviders} creates. */
export interface DemoProviders {
  /** Every entry created, in bundle order. */
  readonly entries: DemoEntry[];
  /** The four clinics. */
  readonly clinics: readonly DemoClinic[];
  /** Full URL of the state health department Organization. */
  readonly healthDepartmentUrl: string;
  /** Full URLs of the school Organizations. */
  readonly schoolUrls: readonly string[];
}

const ORG_TYPE = 'http://terminology.hl7.org/CodeSystem/organization-type';
const ROLE_SYSTEM = 'http://terminology.hl7.org/CodeSystem/practitioner-role';

interface ClinicSpec {
  slug: string; name: string; line: string; city: string; zip: string; area: string; pediatric: boolean; fqhc: boolean; preference: 0 | 1;
  staff: { given: string; family: string; prefix: string; suffix: string; role: 'doctor' | 'nurse'; gender: 'male' | 'female' }[];
}

// Staff surnames follow the same rule as patients: obviously invented words, so no one mistakes them for real people.
const CLINICS: ClinicSpec[] = [
  { slug: 'riverbend-peds', name: 'Riverbend Pediatrics', line: '120 Riverbend Rd', city: 'Hartford', zip: '06106', area: '860', pediatric: true, fqhc: false, preference: 0,
    staff: [{ given: 'Avery', family: 'Samplewell', prefix: 'Dr.', suffix: 'MD', role: 'doctor', gender: 'female' },
      { given: 'Jordan', family: 'Testwright', prefix: '', suffix: 'RN', role: 'nurse', gender: 'male' }] },
  { slug: 'shoreline-fm', name: 'Shoreline Family Medicine', line: '45 Harbor View Rd', city: 'New Haven', zip: '06511', area: '203', pediatric: false, fqhc: false, preference: 1,
    staff: [{ given: 'Morgan', family: 'Examplar', prefix: 'Dr.', suffix: 'DO', role: 'doctor', gender: 'male' },
      { given: 'Priya', family: 'Mockridge', prefix: '', suffix: 'APRN', role: 'nurse', gender: 'female' }] },
  { slug: 'quarry-hill-chc', name: 'Quarry Hill Community Health Center', line: '9 Quarry Hill Dr', city: 'Waterbury', zip: '06702', area: '203', pediatric: false, fqhc: true, preference: 1,
    staff: [{ given: 'Rafael', family: 'Demoreno', prefix: 'Dr.', suffix: 'MD', role: 'doctor', gender: 'male' },
      { given: 'Keisha', family: 'Trialton', prefix: '', suffix: 'RN', role: 'nurse', gender: 'female' }] },
  { slug: 'elmwood-im', name: 'Elmwood Internal Medicine', line: '300 Elmcrest Ter', city: 'Stamford', zip: '06901', area: '203', pediatric: false, fqhc: false, preference: 0,
    staff: [{ given: 'Helen', family: 'Fauxberg', prefix: 'Dr.', suffix: 'MD', role: 'doctor', gender: 'female' },
      { given: 'Samuel', family: 'Pretendo', prefix: '', suffix: 'PharmD', role: 'nurse', gender: 'male' }] },
];

const SCHOOLS = [
  { name: 'Maple Street Elementary School (demo)', line: '14 Maplewood Ave', city: 'Hartford', zip: '06106', area: '860' },
  { name: 'Harborview Middle School (demo)', line: '2 Saltmarsh Rd', city: 'New Haven', zip: '06511', area: '203' },
  { name: 'Ridgeline High School (demo)', line: '77 Orchard Ridge Rd', city: 'Waterbury', zip: '06702', area: '203' },
];

function ctAddress(line: string, city: string, zip: string): Address {
  return { use: 'work', type: 'physical', line: [line], city, state: 'CT', postalCode: zip, country: 'US' };
}

/**
 * Builds the organisations, locations, practitioners and roles of the demo set.
 * @param rng - seeded generator (for full URLs and NPIs).
 * @returns entries and handles for referencing them.
 */
export function buildProviders(rng: Prng): DemoProviders {
  const entries: DemoEntry[] = [];
  const add = (resource: Resource): string => {
    const fullUrl = `urn:uuid:${rng.uuid()}`;
    entries.push({ fullUrl, resource });
    return fullUrl;
  };
  const healthDepartment: Organization = {
    resourceType: 'Organization', active: true,
    identifier: [{ use: 'official', system: NPI_SYSTEM, type: NPI_TYPE, value: makeNpi(200000000 + rng.int(0, 99999999)) }],
    type: [{ coding: [{ system: ORG_TYPE, code: 'govt', display: 'Government' }] }],
    name: 'State Department of Public Health - Immunization Program (demo)', alias: ['CT IIS demo'],
    telecom: [{ system: 'phone', value: fictionalPhone('860', 1), use: 'work' }],
    address: [ctAddress('1 Demo Plaza', 'Hartford', '06106')],
  };
  const healthDepartmentUrl = add(healthDepartment);
  const clinics: DemoClinic[] = [];
  CLINICS.forEach((spec, i) => {
    const address = ctAddress(spec.line, spec.city, spec.zip);
    const org: Organization = {
      resourceType: 'Organization', active: true,
      identifier: [{ use: 'official', system: NPI_SYSTEM, type: NPI_TYPE, value: makeNpi(200000000 + rng.int(0, 99999999)) }],
      type: [{ coding: [{ system: ORG_TYPE, code: 'prov', display: 'Healthcare Provider' }] }],
      name: spec.name,
      telecom: [{ system: 'phone', value: fictionalPhone(spec.area, 10 + i), use: 'work' }],
      address: [address],
    };
    const orgUrl = add(org);
    const location: Location = {
      resourceType: 'Location', status: 'active', mode: 'instance', name: `${spec.name} - main office`,
      physicalType: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/location-physical-type', code: 'bu', display: 'Building' }] },
      telecom: [{ system: 'phone', value: fictionalPhone(spec.area, 10 + i), use: 'work' }],
      address, managingOrganization: { reference: orgUrl, display: spec.name },
    };
    const locationUrl = add(location);
    const practitionerUrls: string[] = [];
    spec.staff.forEach((person, j) => {
      const practitioner: Practitioner = {
        resourceType: 'Practitioner', active: true,
        identifier: [{ use: 'official', system: NPI_SYSTEM, type: NPI_TYPE, value: makeNpi(100000000 + rng.int(0, 99999999)) }],
        name: [{ use: 'official', family: person.family, given: [person.given], ...(person.prefix ? { prefix: [person.prefix] } : {}), suffix: [person.suffix] }],
        telecom: [{ system: 'phone', value: fictionalPhone(spec.area, 20 + i * 2 + j), use: 'work' }],
        gender: person.gender,
      };
      const practitionerUrl = add(practitioner);
      practitionerUrls.push(practitionerUrl);
      const role: PractitionerRole = {
        resourceType: 'PractitionerRole', active: true,
        practitioner: { reference: practitionerUrl, display: `${person.given} ${person.family}` },
        organization: { reference: orgUrl, display: spec.name },
        location: [{ reference: locationUrl }],
        code: [{ coding: [{ system: ROLE_SYSTEM, code: person.role, display: person.role === 'doctor' ? 'Doctor' : 'Nurse' }] }],
      };
      add(role);
    });
    clinics.push({ slug: spec.slug, orgUrl, locationUrl, practitionerUrls, pediatric: spec.pediatric, fqhc: spec.fqhc, preference: spec.preference, address });
  });
  const schoolUrls = SCHOOLS.map((s) => add({
    resourceType: 'Organization', active: true,
    type: [{ coding: [{ system: ORG_TYPE, code: 'edu', display: 'Educational Institute' }] }],
    name: s.name, telecom: [{ system: 'phone', value: fictionalPhone(s.area, 40), use: 'work' }],
    address: [ctAddress(s.line, s.city, s.zip)],
  } satisfies Organization));
  return { entries, clinics, healthDepartmentUrl, schoolUrls };
}
