/**
 * The vaccine products the synthetic generators administer, embedded as constants (the product must not read the
 * shared code tables at run time). Facts come from the CDC IIS code sets: CVX, MVX, the CVX-MVX product-name
 * table (tradename.xml), NDC unit-of-use codes and current VIS editions (cvxvis.xml).
 */

/** A series of the schedule; each maps to one or more products depending on date and age. */
export type SeriesKey =
  | 'hepb' | 'rv' | 'dtap' | 'hib' | 'pcv' | 'ipv' | 'flu' | 'mmr' | 'var' | 'hepa' | 'tdap' | 'td' | 'hpv'
  | 'menacwy' | 'covid' | 'zoster' | 'pneumo-adult' | 'rsv';

/** Route codes from http://terminology.hl7.org/CodeSystem/v3-RouteOfAdministration. */
export type RouteCode = 'IM' | 'SQ' | 'PO';

/** One licensed product: a CVX code made by one manufacturer (MVX). */
export interface VaccineProduct {
  /** CVX code (text, leading zeros kept). */
  readonly cvx: string;
  /** CDC short description of the CVX code. */
  readonly cvxDisplay: string;
  /** MVX manufacturer code. */
  readonly mvx: string;
  /** MVX manufacturer name as CDC spells it. */
  readonly manufacturer: string;
  /** Proprietary (trade) name. */
  readonly tradeName: string;
  /** 11-digit NDC (5-4-2) of the unit of use, when CDC lists a current one. */
  readonly ndc?: string;
  /** First day the NDC was marketed (season-specific for influenza); before it the NDC is not sent. */
  readonly ndcSince?: string;
  /** Route of administration. */
  readonly route: RouteCode;
  /** Dose volume in mL. */
  readonly doseMl: number;
  /** Current VIS: GS1 GDTI encoded string and edition date. */
  readonly vis?: { readonly gdti: string; readonly edition: string };
  /** Two letters that start this manufacturer's lot numbers (lot formats differ by manufacturer). */
  readonly lotPrefix: string;
}

const MFR: Record<string, string> = {
  MSD: 'Merck and Co., Inc.',
  SKB: 'GlaxoSmithKline',
  PMC: 'Sanofi Pasteur',
  PFR: 'Pfizer, Inc',
  SEQ: 'Seqirus',
  IDB: 'ID Biomedical',
  MOD: 'Moderna US, Inc.',
};

const VIS = {
  hepb: { gdti: '253088698300005911250131', edition: '2025-01-31' },
  rv: { gdti: '253088698300019611211015', edition: '2021-10-15' },
  dtap: { gdti: '253088698300003511210806', edition: '2021-08-06' },
  hib: { gdti: '253088698300006611210806', edition: '2021-08-06' },
  pcv: { gdti: '253088698300049311250529', edition: '2025-05-29' },
  ipv: { gdti: '253088698300017211250131', edition: '2025-01-31' },
  flu: { gdti: '253088698300010311250131', edition: '2025-01-31' },
  // Quadrivalent products left the market in 2024, before the 2025 edition; theirs is the 2021 one.
  fluQuad: { gdti: '253088698300010311210806', edition: '2021-08-06' },
  mmr: { gdti: '253088698300012711250131', edition: '2025-01-31' },
  var: { gdti: '253088698300024011250131', edition: '2025-01-31' },
  hepa: { gdti: '253088698300004211250131', edition: '2025-01-31' },
  tdap: { gdti: '253088698300027111250131', edition: '2025-01-31' },
  td: { gdti: '253088698300028811210806', edition: '2021-08-06' },
  hpv: { gdti: '253088698300029511210806', edition: '2021-08-06' },
  menacwy: { gdti: '253088698300014111250131', edition: '2025-01-31' },
  covid: { gdti: '253088698300063911250131', edition: '2025-01-31' },
  zoster: { gdti: '253088698300032511220204', edition: '2022-02-04' },
  ppsv: { gdti: '253088698300016511250529', edition: '2025-05-29' },
  rsv: { gdti: '253088698300060811250131', edition: '2025-01-31' },
} as const;

function product(
  cvx: string, cvxDisplay: string, mvx: string, tradeName: string, route: RouteCode, doseMl: number,
  vis: VaccineProduct['vis'], ndc?: string, ndcSince?: string,
): VaccineProduct {
  return { cvx, cvxDisplay, mvx, manufacturer: MFR[mvx] ?? mvx, tradeName, route, doseMl, vis, ndc, ndcSince, lotPrefix: mvx.slice(0, 2) };
}

/** Products by key; the schedule picks among them by date, age and clinic preference. */
export const PRODUCTS = {
  recombivaxPeds: product('08', 'Hep B, adolescent or pediatric', 'MSD', 'RECOMBIVAX HB', 'IM', 0.5, VIS.hepb, '00006-4093-01', '1986-07-23'),
  engerixPeds: product('08', 'Hep B, adolescent or pediatric', 'SKB', 'ENGERIX-B', 'IM', 0.5, VIS.hepb, '58160-0820-43', '2007-04-25'),
  engerixAdult: product('43', 'Hep B, adult', 'SKB', 'ENGERIX-B', 'IM', 1, VIS.hepb, '58160-0821-01', '2007-03-28'),
  rotaTeq: product('116', 'rotavirus, pentavalent', 'MSD', 'RotaTeq', 'PO', 2, VIS.rv, '00006-4047-01', '2006-02-03'),
  rotarix: product('119', 'rotavirus, monovalent', 'SKB', 'Rotarix', 'PO', 1, VIS.rv, '58160-0740-02', '2023-02-01'),
  infanrix: product('20', 'DTaP', 'SKB', 'INFANRIX', 'IM', 0.5, VIS.dtap, '58160-0810-43', '2009-07-24'),
  daptacel: product('106', 'DTaP, 5 pertussis antigens', 'PMC', 'DAPTACEL', 'IM', 0.5, VIS.dtap, '49281-0286-58', '2002-05-14'),
  pedvaxHib: product('49', 'Hib (PRP-OMP)', 'MSD', 'PedvaxHIB', 'IM', 0.5, VIS.hib, '00006-4897-01', '1989-12-20'),
  actHib: product('48', 'Hib (PRP-T)', 'PMC', 'ActHIB', 'IM', 0.5, VIS.hib, '49281-0547-58', '1993-03-30'),
  prevnar13: product('133', 'Pneumococcal conjugate PCV 13', 'PFR', 'PREVNAR 13', 'IM', 0.5, VIS.pcv),
  vaxneuvance: product('215', 'Pneumococcal conjugate PCV15, polysaccharide CRM197 conjugate, adjuvant, PF', 'MSD', 'VAXNEUVANCE', 'IM', 0.5, VIS.pcv, '00006-4329-01', '2021-07-16'),
  prevnar20: product('216', 'Pneumococcal conjugate PCV20, polysaccharide CRM197 conjugate, adjuvant, PF', 'PFR', 'PREVNAR 20', 'IM', 0.5, VIS.pcv, '00005-2000-01', '2021-08-10'),
  ipol: product('10', 'IPV', 'PMC', 'IPOL', 'IM', 0.5, VIS.ipv, '49281-0860-78', '1990-12-21'),
  fluQuadPf: product('150', 'Influenza, split virus, quadrivalent, PF', 'SKB', 'Fluarix quadrivalent', 'IM', 0.5, VIS.fluQuad),
  fluTriPf: product('140', 'Influenza, split virus, trivalent, PF', 'SKB', 'FLUARIX', 'IM', 0.5, VIS.flu, '58160-0912-41', '2025-07-01'),
  fluTriPfPmc: product('140', 'Influenza, split virus, trivalent, PF', 'PMC', 'FLUZONE', 'IM', 0.5, VIS.flu, '49281-0425-88', '2025-07-01'),
  fluHdQuad: product('197', 'Influenza, high-dose, quadrivalent, PF', 'PMC', 'Fluzone High-Dose quadrivalent', 'IM', 0.7, VIS.fluQuad),
  fluHdTri: product('135', 'Influenza, high-dose, trivalent, PF', 'PMC', 'Fluzone High-Dose', 'IM', 0.5, VIS.flu),
  mmrII: product('03', 'MMR', 'MSD', 'M-M-R II', 'SQ', 0.5, VIS.mmr, '00006-4681-01', '1971-04-21'),
  priorix: product('03', 'MMR', 'SKB', 'Priorix', 'SQ', 0.5, VIS.mmr, '58160-0831-03', '2022-06-03'),
  varivax: product('21', 'varicella', 'MSD', 'VARIVAX', 'SQ', 0.5, VIS.var, '00006-4827-01', '1995-03-17'),
  havrixPeds: product('83', 'Hep A, ped/adol, 2 dose', 'SKB', 'HAVRIX', 'IM', 0.5, VIS.hepa, '50090-3781-01', '2024-07-01'),
  vaqtaPeds: product('83', 'Hep A, ped/adol, 2 dose', 'MSD', 'VAQTA', 'IM', 0.5, VIS.hepa, '00006-4095-01', '1996-03-29'),
  boostrix: product('115', 'Tdap', 'SKB', 'BOOSTRIX', 'IM', 0.5, VIS.tdap, '58160-0842-01', '2009-07-24'),
  adacel: product('115', 'Tdap', 'PMC', 'Adacel', 'IM', 0.5, VIS.tdap, '49281-0400-58', '2013-10-01'),
  tenivac: product('113', 'Td (adult), 5 Lf tetanus toxoid, preservative free, adsorbed', 'PMC', 'TENIVAC', 'IM', 0.5, VIS.td, '49281-0215-58', '2010-12-08'),
  gardasil: product('62', 'HPV, quadrivalent', 'MSD', 'GARDASIL', 'IM', 0.5, undefined),
  gardasil9: product('165', 'HPV9', 'MSD', 'GARDASIL 9', 'IM', 0.5, VIS.hpv, '00006-4119-01', '2014-12-10'),
  menactra: product('114', 'meningococcal MCV4P', 'PMC', 'MENACTRA', 'IM', 0.5, undefined),
  menveo: product('136', 'Meningococcal MCV4O', 'SKB', 'Menveo', 'IM', 0.5, VIS.menacwy, '58160-0827-03', '2022-12-09'),
  menQuadfi: product('203', 'meningococcal conjugate quadrivalent, MenACWY-TT (MCV4)', 'PMC', 'MenQuadfi', 'IM', 0.5, VIS.menacwy, '49281-0590-58', '2020-04-23'),
  comirnaty: product('309', 'COVID-19, mRNA, LNP-S, PF, tris-sucrose, 30 mcg/0.3 mL', 'PFR', 'COMIRNATY', 'IM', 0.3, VIS.covid, '00069-2432-01', '2024-08-22'),
  comirnatyKids: product('310', 'COVID-19, mRNA, LNP-S, PF, tris-sucrose, 10 mcg/0.3 mL', 'PFR', 'COMIRNATY', 'IM', 0.3, undefined, '00069-2501-01', '2025-08-27'),
  spikevax: product('312', 'COVID-19, mRNA, LNP-S, PF, 50 mcg/0.5 mL', 'MOD', 'Spikevax', 'IM', 0.5, VIS.covid, '80777-0112-01', '2025-08-27'),
  shingrix: product('187', 'zoster recombinant', 'SKB', 'SHINGRIX', 'IM', 0.5, VIS.zoster, '58160-0828-03', '2017-10-20'),
  pneumovax: product('33', 'pneumococcal polysaccharide PPV23', 'MSD', 'PNEUMOVAX 23', 'IM', 0.5, VIS.ppsv, '00006-4837-01', '2014-05-30'),
  arexvy: product('303', 'RSV, recombinant, protein subunit RSVpreF, adjuvant reconstituted, 0.5 mL, PF', 'SKB', 'Arexvy', 'IM', 0.5, VIS.rsv, '58160-0723-03', '2023-05-03'),
  abrysvo: product('305', 'RSV, bivalent, protein subunit RSVpreF, diluent reconstituted, 0.5 mL, PF', 'PFR', 'Abrysvo', 'IM', 0.5, VIS.rsv, '00069-0207-01', '2023-07-12'),
} as const satisfies Record<string, VaccineProduct>;
