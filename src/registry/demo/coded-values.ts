/** Coded values used on synthetic Immunization resources (systems as published by HL7 Terminology / CDC). */
import type { CodeableConcept, Coding } from '@medplum/fhirtypes';
import type { RouteCode, VaccineProduct } from './vaccine-products.ts';

/** CVX naming system. */
export const CVX_SYSTEM = 'http://hl7.org/fhir/sid/cvx';
/** NDC naming system. */
export const NDC_SYSTEM = 'http://hl7.org/fhir/sid/ndc';
/** MVX code system. */
export const MVX_SYSTEM = 'http://terminology.hl7.org/CodeSystem/MVX';
/** CDC PHIN VADS (CDCPHINVS) code system OID, used for the funding source. */
export const CDCPHINVS_SYSTEM = 'urn:oid:2.16.840.1.114222.4.5.274';
/** HL7 v2 table 0064 (VFC eligibility). */
export const VFC_SYSTEM = 'http://terminology.hl7.org/CodeSystem/v2-0064';

/** VFC eligibility codes of HL7 table 0064. */
export type VfcCode = 'V01' | 'V02' | 'V03' | 'V04' | 'V05';

const VFC_DISPLAY: Record<VfcCode, string> = {
  V01: 'Not VFC eligible',
  V02: 'VFC eligible - Medicaid/Medicaid Managed Care',
  V03: 'VFC eligible - Uninsured',
  V04: 'VFC eligible - American Indian/Alaska Native',
  V05: 'VFC eligible - Federally Qualified Health Center Patient (under-insured)',
};

/** Program eligibility concepts, one shared object per code. */
export const ELIGIBILITY: Record<VfcCode, CodeableConcept> = Object.fromEntries(
  (Object.keys(VFC_DISPLAY) as VfcCode[]).map((code) => [code, { coding: [{ system: VFC_SYSTEM, code, display: VFC_DISPLAY[code] }] }]),
) as Record<VfcCode, CodeableConcept>;

/** Funding source: public (VFC and other public programmes) and private. */
export const FUNDING = {
  public: { coding: [{ system: CDCPHINVS_SYSTEM, code: 'VXC50', display: 'Public' }] },
  private: { coding: [{ system: CDCPHINVS_SYSTEM, code: 'PHC70', display: 'Private funds' }] },
} as const satisfies Record<string, CodeableConcept>;

/** Performer function "administering provider" (HL7 table 0443). */
export const FUNCTION_AP: CodeableConcept = {
  coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0443', code: 'AP', display: 'Administering Provider' }],
};

const ROUTE_DISPLAY: Record<RouteCode, string> = { IM: 'Injection, intramuscular', SQ: 'Injection, subcutaneous', PO: 'Swallow, oral' };
/** Routes of administration (v3-RouteOfAdministration). */
export const ROUTES: Record<RouteCode, CodeableConcept> = {
  IM: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-RouteOfAdministration', code: 'IM', display: ROUTE_DISPLAY.IM }] },
  SQ: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-RouteOfAdministration', code: 'SQ', display: ROUTE_DISPLAY.SQ }] },
  PO: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-RouteOfAdministration', code: 'PO', display: ROUTE_DISPLAY.PO }] },
};

const site = (code: string, display: string): CodeableConcept => ({ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActSite', code, display }] });
/** Injection sites: thighs for infants and toddlers, deltoids from 3 years. */
export const SITES = {
  infant: [site('LT', 'left thigh'), site('RT', 'right thigh')],
  older: [site('LD', 'left deltoid'), site('RD', 'right deltoid'), site('LA', 'left arm')],
} as const;

/** Report origin of historical records (immunization-origin). */
export const ORIGIN_RECORD: CodeableConcept = {
  coding: [{ system: 'http://terminology.hl7.org/CodeSystem/immunization-origin', code: 'record', display: 'Written Record' }],
};

/** Status reason "patient objection" (v3-ActReason) for refusals. */
export const REASON_PATOBJ: CodeableConcept = {
  coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActReason', code: 'PATOBJ', display: 'patient objection' }],
};

/**
 * The vaccine code of a product: CVX, plus the NDC when the product's NDC was already marketed on that day.
 * @param product - the product.
 * @param dateIso - administration date `YYYY-MM-DD`.
 * @returns the CodeableConcept.
 */
export function vaccineCodeOf(product: VaccineProduct, dateIso: string): CodeableConcept {
  const coding: Coding[] = [{ system: CVX_SYSTEM, code: product.cvx, display: product.cvxDisplay }];
  if (product.ndc && product.ndcSince && dateIso >= product.ndcSince) {
    coding.push({ system: NDC_SYSTEM, code: product.ndc, display: product.tradeName });
  }
  return { coding, text: product.tradeName };
}
