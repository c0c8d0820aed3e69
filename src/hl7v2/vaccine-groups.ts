/**
 * CDSi antigens to the CVX code of their vaccine group, as the Z42 response reports them in OBX 30956-7
 * (CDC IG R1.5 Z42 profile: "vaccine type" is the vaccine group, e.g. 45 HepB, 107 DTaP, 03 MMR, as in the NIST
 * ONC 2015 Z42 examples). The registry's ImmunizationEvaluation resources are per antigen (targetDisease).
 */

/** Antigen (CDSi name, also the text of targetDisease) to [vaccine group CVX, group name]. */
export const ANTIGEN_GROUP: Record<string, [string, string]> = {
  Diphtheria: ['107', 'DTaP'], Tetanus: ['107', 'DTaP'], Pertussis: ['107', 'DTaP'], Polio: ['89', 'Polio'],
  Measles: ['03', 'MMR'], Mumps: ['03', 'MMR'], Rubella: ['03', 'MMR'], HepB: ['45', 'Hep B'], HepA: ['85', 'Hep A'],
  Hib: ['17', 'Hib'], Varicella: ['21', 'Varicella'], Pneumococcal: ['152', 'Pneumococcal'], Rotavirus: ['122', 'Rotavirus'],
  Influenza: ['88', 'Influenza'], HPV: ['137', 'HPV'], Meningococcal: ['147', 'Meningococcal ACWY'], 'Meningococcal B': ['164', 'Meningococcal B'],
  Zoster: ['188', 'Zoster'], 'COVID-19': ['213', 'COVID-19'], RSV: ['304', 'RSV'],
};

/** SNOMED CT disease code (as fhir-output.ts writes targetDisease) to antigen name. */
export const DISEASE_ANTIGEN: Record<string, string> = {
  '397428000': 'Diphtheria', '76902006': 'Tetanus', '27836007': 'Pertussis', '398102009': 'Polio', '14189004': 'Measles',
  '36989005': 'Mumps', '36653000': 'Rubella', '66071002': 'HepB', '40468003': 'HepA', '91428005': 'Hib', '38907003': 'Varicella',
  '16814004': 'Pneumococcal', '18624000': 'Rotavirus', '6142004': 'Influenza', '240532009': 'HPV', '23511006': 'Meningococcal',
  '4740000': 'Zoster', '840539006': 'COVID-19', '55735004': 'RSV',
};

/**
 * The vaccine group of an evaluation's target disease.
 * @param disease - targetDisease: a CVX coding wins, else the antigen from its text or SNOMED code.
 * @param disease.coding - codings.
 * @param disease.text - text (the CDSi antigen name).
 * @returns [CVX, name], or undefined when unknown.
 */
export function vaccineGroupOf(disease: { coding?: { system?: string; code?: string; display?: string }[]; text?: string } | undefined): [string, string] | undefined {
  const cvx = disease?.coding?.find((c) => c.system === 'http://hl7.org/fhir/sid/cvx');
  if (cvx?.code) return [cvx.code, cvx.display ?? disease?.text ?? ''];
  const byText = disease?.text ? ANTIGEN_GROUP[disease.text] : undefined;
  if (byText) return byText;
  const antigen = disease?.coding?.map((c) => DISEASE_ANTIGEN[c.code ?? '']).find(Boolean);
  return antigen ? ANTIGEN_GROUP[antigen] : undefined;
}
