/**
 * Small HL7 and CDC value sets the mapping checks codes against (CDC IG R1.5 appendix A): route (NCIT and
 * HL70162), site (HL70163), relationship (HL70063), race and ethnicity (CDCREC), publicity (HL70215),
 * registry status (HL70441), completion status (HL70322), action code (HL70206).
 */

/** NCIT route codes and HL70162 codes to v3-RouteOfAdministration (the system the registry stores). */
export const ROUTES: Record<string, { v3: string; display: string; ncit: string; hl70162: string }> = {
  C28161: { v3: 'IM', display: 'Injection, intramuscular', ncit: 'C28161', hl70162: 'IM' },
  C38299: { v3: 'SQ', display: 'Injection, subcutaneous', ncit: 'C38299', hl70162: 'SC' },
  C38288: { v3: 'PO', display: 'Swallow, oral', ncit: 'C38288', hl70162: 'PO' },
  C38238: { v3: 'IDINJ', display: 'Injection, intradermal', ncit: 'C38238', hl70162: 'ID' },
  C38284: { v3: 'NASINHLC', display: 'Inhalation, nasal', ncit: 'C38284', hl70162: 'NS' },
  C38276: { v3: 'IVINJ', display: 'Injection, intravenous', ncit: 'C38276', hl70162: 'IV' },
  C38305: { v3: 'TRNSDERMD', display: 'Diffusion, transdermal', ncit: 'C38305', hl70162: 'TD' },
  C38676: { v3: 'PUNCT', display: 'Percutaneous', ncit: 'C38676', hl70162: 'PC' },
};

/** HL70162 code to NCIT code. */
export const HL70162_TO_NCIT: Record<string, string> = Object.fromEntries(Object.values(ROUTES).map((r) => [r.hl70162, r.ncit]));
HL70162_TO_NCIT.SQ = 'C38299';
HL70162_TO_NCIT.IN = 'C38284';

/** HL70163 administrative sites (codes shared with v3-ActSite). */
export const SITES: Record<string, string> = {
  LT: 'Left Thigh', RT: 'Right Thigh', LA: 'Left Arm', RA: 'Right Arm', LD: 'Left Deltoid', RD: 'Right Deltoid',
  LG: 'Left Gluteous Medius', RG: 'Right Gluteous Medius', LVL: 'Left Vastus Lateralis', RVL: 'Right Vastus Lateralis',
  LLFA: 'Left Lower Forearm', RLFA: 'Right Lower Forearm', LUA: 'Left Upper Arm', RUA: 'Right Upper Arm',
  BE: 'Bilateral Ears', BN: 'Bilateral Nares', MTH: 'Mouth', NB: 'Nebulized', LE: 'Left Ear', RE: 'Right Ear',
  LN: 'Left Naris', RN: 'Right Naris', LIJ: 'Left Internal Jugular', RIJ: 'Right Internal Jugular',
  LSC: 'Left Subclavian', RSC: 'Right Subclavian', LACF: 'Left Antecubital Fossa', RACF: 'Right Antecubital Fossa',
  LH: 'Left Hand', RH: 'Right Hand', LF: 'Left Foot', RF: 'Right Foot', LAC: 'Left Anterior Chest', RAC: 'Right Anterior Chest',
  LLAQ: 'Left Lower Abd Quadrant', RLAQ: 'Right Lower Abd Quadrant', LUAQ: 'Left Upper Abd Quadrant', RUAQ: 'Right Upper Abd Quadrant',
  LPC: 'Left Posterior Chest', RPC: 'Right Posterior Chest', LMFA: 'Left Mid Forearm', RMFA: 'Right Mid Forearm',
  LUFA: 'Left Upper Forearm', RUFA: 'Right Upper Forearm', LW: 'Left Wrist', RW: 'Right Wrist', LEJ: 'Left External Jugular',
  REJ: 'Right External Jugular', PA: 'Perianal', PERIN: 'Perineal', OD: 'Right Eye', OS: 'Left Eye', OU: 'Bilateral Eyes',
};

/** HL70063 relationships used in immunization messages. */
export const RELATIONSHIPS: Record<string, string> = {
  MTH: 'Mother', FTH: 'Father', GRD: 'Guardian', GRP: 'Grandparent', BRO: 'Brother', SIS: 'Sister', SIB: 'Sibling',
  CHD: 'Child', SPO: 'Spouse', DOM: 'Life partner', FND: 'Friend', PAR: 'Parent', SEL: 'Self', EMC: 'Emergency contact',
  CGV: 'Care giver', FCH: 'Foster child', OTH: 'Other', UNK: 'Unknown', EXF: 'Extended family', STPPRN: 'Step parent',
  SCH: 'Stepchild', GCH: 'Grandchild', OAD: 'Other adult', GRDS: 'Guardian', ASC: 'Associate',
};

/** HL70063 codes with the same meaning in v3-RoleCode (RelatedPerson.relationship's binding). */
export const RELATIONSHIP_V3: Record<string, string> = { MTH: 'MTH', FTH: 'FTH', GRD: 'GUARD', GRP: 'GRPRN', BRO: 'BRO', SIS: 'SIS', SIB: 'SIB', CHD: 'CHILD', SPO: 'SPS', FND: 'FRND', PAR: 'PRN', SEL: 'ONESELF', DOM: 'DOMPART', EXF: 'EXT' };

/** CDCREC race codes that are OMB categories (US Core race ombCategory). */
export const OMB_RACE: Record<string, string> = {
  '1002-5': 'American Indian or Alaska Native', '2028-9': 'Asian', '2054-5': 'Black or African American',
  '2076-8': 'Native Hawaiian or Other Pacific Islander', '2106-3': 'White',
};
/** CDCREC ethnicity OMB categories. */
export const OMB_ETHNICITY: Record<string, string> = { '2135-2': 'Hispanic or Latino', '2186-5': 'Not Hispanic or Latino' };
/** Other accepted CDCREC race values (other race; asked but unknown / unknown are v3-NullFlavor in US Core). */
export const OTHER_RACE: Record<string, string> = { '2131-1': 'Other Race' };

/** HL70215 publicity codes. */
export const PUBLICITY: Record<string, string> = {
  '01': 'No reminder/recall', '02': 'Reminder/recall - any method', '03': 'Reminder/recall - no calls', '04': 'Reminder only - any method',
  '05': 'Reminder only - no calls', '06': 'Recall only - any method', '07': 'Recall only - no calls', '08': 'Reminder/recall - to provider',
  '09': 'Reminder to provider', '10': 'Only reminder to provider, no recall', '11': 'Recall to provider', '12': 'Only recall to provider, no reminder',
};

/** HL70441 immunization registry status. */
export const REGISTRY_STATUS: Record<string, string> = {
  A: 'Active', I: 'Inactive', L: 'Inactive - Lost to follow-up (cannot contact)', M: 'Inactive - Moved or gone elsewhere (transferred)',
  P: 'Inactive - Permanently inactive (do not re-activate or add new entries to the record)', U: 'Unknown', O: 'Other',
};

/** ISO 639-2 codes seen in PID-15 to BCP-47. */
export const LANGUAGES: Record<string, string> = { eng: 'en', spa: 'es', fre: 'fr', fra: 'fr', ger: 'de', deu: 'de', chi: 'zh', zho: 'zh', vie: 'vi', kor: 'ko', rus: 'ru', ara: 'ar', por: 'pt', ita: 'it', jpn: 'ja', hmn: 'hmn', som: 'so' };
