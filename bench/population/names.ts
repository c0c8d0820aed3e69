/**
 * Name pools for the scale population: the most common US surnames (2010 Census ranking, public data) followed by a
 * few thousand synthetic surnames built from syllables, drawn with a Zipf-Mandelbrot law so that a handful of
 * names are very common and most are rare, as in a real state registry. Accented names are mixed in so that
 * searches exercise Unicode normalisation.
 */
import { Prng } from '../../src/registry/demo/prng.ts';

/** The most frequent US surnames, in rank order (US Census Bureau, 2010 surname file). */
export const COMMON_US_SURNAMES: readonly string[] = [
  'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez',
  'Hernandez', 'Lopez', 'Gonzalez', 'Wilson', 'Anderson', 'Thomas', 'Taylor', 'Moore', 'Jackson', 'Martin',
  'Lee', 'Perez', 'Thompson', 'White', 'Harris', 'Sanchez', 'Clark', 'Ramirez', 'Lewis', 'Robinson',
  'Walker', 'Young', 'Allen', 'King', 'Wright', 'Scott', 'Torres', 'Nguyen', 'Hill', 'Flores',
  'Green', 'Adams', 'Nelson', 'Baker', 'Hall', 'Rivera', 'Campbell', 'Mitchell', 'Carter', 'Roberts',
  'Gomez', 'Phillips', 'Evans', 'Turner', 'Diaz', 'Parker', 'Cruz', 'Edwards', 'Collins', 'Reyes',
  'Stewart', 'Morris', 'Morales', 'Murphy', 'Cook', 'Rogers', 'Gutierrez', 'Ortiz', 'Morgan', 'Cooper',
  'Peterson', 'Bailey', 'Reed', 'Kelly', 'Howard', 'Ramos', 'Kim', 'Cox', 'Ward', 'Richardson',
];

/** Surnames with diacritics, ranked among the moderately common names. */
export const ACCENTED_SURNAMES: readonly string[] = [
  'Müller', 'Núñez', 'Peña', 'Gómez', 'Côté', 'Bélanger', 'Öztürk', 'Ibáñez', 'Pérez-Díaz', 'Lévesque', 'Jiménez', 'Şahin',
];

const HEADS = ['Bar', 'Cal', 'Dun', 'El', 'Fen', 'Gar', 'Hal', 'Kes', 'Lor', 'Mar', 'Nor', 'Ost', 'Pel', 'Quin', 'Ros', 'Sel',
  'Tor', 'Val', 'Wex', 'Yar', 'Zel', 'Ash', 'Brom', 'Cor', 'Dra', 'Fal', 'Grim', 'Hav', 'Ives', 'Jor', 'Kel', 'Mor'];
const MIDDLES = ['', 'a', 'e', 'i', 'o', 'en', 'er', 'an'];
const TAILS = ['ton', 'son', 'ley', 'well', 'field', 'man', 'berg', 'ford', 'wick', 'by', 'more', 'stead', 'ham', 'ridge',
  'worth', 'land', 'dale', 'ski', 'ez', 'ini', 'sen', 'ova'];

function buildSurnames(): string[] {
  const seen = new Set<string>([...COMMON_US_SURNAMES, ...ACCENTED_SURNAMES]);
  const synthetic: string[] = [];
  for (const h of HEADS) for (const m of MIDDLES) for (const t of TAILS) {
    const name = `${h}${m}${t}`;
    if (!seen.has(name)) {
      seen.add(name);
      synthetic.push(name);
    }
  }
  // A fixed shuffle (independent of the population seed) so that ranks, and thus SURNAME_SAMPLES, never change.
  const rng = new Prng(0x5eed);
  for (let i = synthetic.length - 1; i > 0; i -= 1) {
    const j = rng.int(0, i);
    [synthetic[i], synthetic[j]] = [synthetic[j] as string, synthetic[i] as string];
  }
  const ranked = [...COMMON_US_SURNAMES, ...synthetic.slice(0, 4000)];
  ACCENTED_SURNAMES.forEach((name, i) => ranked.splice(120 + i * 25, 0, name));
  return ranked;
}

/** Every surname in rank order (most frequent first). */
export const RANKED_SURNAMES: readonly string[] = buildSurnames();

/** Zipf-Mandelbrot parameters: p(rank) ∝ 1 / (rank + Q)^S. Q flattens the head (Smith is ~1%, not 10%). */
const Q = 10;
const S = 1.0;

const CUMULATIVE: Float64Array = (() => {
  const c = new Float64Array(RANKED_SURNAMES.length);
  let sum = 0;
  for (let r = 0; r < c.length; r += 1) {
    sum += 1 / Math.pow(r + 1 + Q, S);
    c[r] = sum;
  }
  for (let r = 0; r < c.length; r += 1) c[r] = (c[r] ?? 0) / sum;
  return c;
})();

/**
 * Expected share of the population carrying a surname (before hyphenation).
 * @param name - surname.
 * @returns probability in [0, 1], 0 when the name is not in the pool.
 */
export function surnameShare(name: string): number {
  const r = RANKED_SURNAMES.indexOf(name);
  if (r < 0) return 0;
  return (CUMULATIVE[r] ?? 0) - (r > 0 ? CUMULATIVE[r - 1] ?? 0 : 0);
}

/**
 * Draws a surname by rank with a binary search over the cumulative law.
 * @param u - uniform number in [0, 1).
 * @returns the surname.
 */
export function drawSurname(u: number): string {
  let lo = 0;
  let hi = CUMULATIVE.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((CUMULATIVE[mid] ?? 1) > u) hi = mid;
    else lo = mid + 1;
  }
  return RANKED_SURNAMES[lo] ?? 'Smith';
}

/**
 * Query values for benchmarks: common names match many patients, rare names a few dozen per million, accented
 * names test normalised matching.
 */
export const SURNAME_SAMPLES = {
  common: RANKED_SURNAMES.slice(0, 10),
  rare: RANKED_SURNAMES.slice(-10),
  accented: ACCENTED_SURNAMES,
} as const;

/** Female given names (a few with diacritics). */
export const FEMALE_GIVEN: readonly string[] = [
  'Olivia', 'Emma', 'Charlotte', 'Amelia', 'Sophia', 'Mia', 'Isabella', 'Ava', 'Evelyn', 'Harper', 'Luna', 'Camila',
  'Gianna', 'Elizabeth', 'Eleanor', 'Ella', 'Abigail', 'Sofia', 'Avery', 'Scarlett', 'Emily', 'Aria', 'Penelope',
  'Chloe', 'Layla', 'Mila', 'Nora', 'Hazel', 'Madison', 'Ellie', 'Lily', 'Nova', 'Isla', 'Grace', 'Violet', 'Aurora',
  'Mary', 'Patricia', 'Linda', 'Barbara', 'Susan', 'Jessica', 'Sarah', 'Karen', 'Nancy', 'Lisa', 'Betty', 'Sandra',
  'Zoë', 'Chloé', 'Renée', 'Inés', 'Noémie', 'María', 'Anaïs', 'Siobhán',
];

/** Male given names (a few with diacritics). */
export const MALE_GIVEN: readonly string[] = [
  'Liam', 'Noah', 'Oliver', 'James', 'Elijah', 'William', 'Henry', 'Lucas', 'Benjamin', 'Theodore', 'Mateo', 'Levi',
  'Sebastian', 'Daniel', 'Jack', 'Michael', 'Alexander', 'Owen', 'Asher', 'Samuel', 'Ethan', 'Leo', 'Jackson', 'Mason',
  'Ezra', 'John', 'Hudson', 'Luca', 'Aiden', 'Joseph', 'David', 'Jacob', 'Logan', 'Luke', 'Julian', 'Gabriel',
  'Robert', 'Richard', 'Charles', 'Thomas', 'Christopher', 'Mark', 'Donald', 'Steven', 'Paul', 'Andrew', 'Joshua', 'Kevin',
  'José', 'André', 'Björn', 'François', 'Jesús', 'Joaquín', 'Søren', 'Raúl',
];
