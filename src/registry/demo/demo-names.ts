/**
 * Names for demo patients. Given names are ordinary so that screens look realistic; every surname is an invented
 * word that announces itself as test data ("Testperson", "Demoson"), so a demo record can never be mistaken for,
 * or matched by the registry's patient matching to, a real person, and screenshots never show plausible PHI.
 */

/** Invented surnames, unmistakably fictional. */
export const DEMO_SURNAMES: readonly string[] = [
  'Testperson', 'Demoson', 'Sampleton', 'Mockford', 'Fakeley', 'Exampleton', 'Placeholder', 'Dummyworth',
  'Trialson', 'Specimenez', 'Pretendergast', 'Fictionary', 'Notreal', 'Madeupson', 'Synthetica', 'Prototyper',
];

/** Ordinary female given names. */
export const DEMO_FEMALE_NAMES: readonly string[] = [
  'Emma', 'Olivia', 'Ava', 'Sofia', 'Mia', 'Isabella', 'Amara', 'Nora', 'Lucia', 'Hazel', 'Grace', 'Ruth',
  'Dolores', 'Margaret', 'Aaliyah', 'Mei', 'Fatima', 'Camila', 'Evelyn', 'Harper',
];

/** Ordinary male given names. */
export const DEMO_MALE_NAMES: readonly string[] = [
  'Oliver', 'Liam', 'Noah', 'Mateo', 'Elijah', 'Lucas', 'Henry', 'Theo', 'Caleb', 'Isaac', 'Marcus', 'Diego',
  'Samuel', 'Walter', 'Harold', 'Kwame', 'Arjun', 'Wei', 'Omar', 'Ezra',
];
