/**
 * Connecticut towns with a ZIP code and a rough population weight, and fictional street names. Towns and ZIP
 * codes are real so that address searches behave as in production; street numbers and names are made up.
 */

/** A town, its ZIP code, the usual telephone area code, and a relative population weight. */
export interface CtTown {
  /** Town name. */
  readonly city: string;
  /** A ZIP code of the town. */
  readonly zip: string;
  /** Telephone area code. */
  readonly areaCode: string;
  /** Relative population weight (thousands of residents). */
  readonly weight: number;
}

/** Towns across the state (weights roughly follow population, in thousands). */
export const CT_TOWNS: readonly CtTown[] = [
  { city: 'Bridgeport', zip: '06604', areaCode: '203', weight: 148 },
  { city: 'New Haven', zip: '06511', areaCode: '203', weight: 135 },
  { city: 'Stamford', zip: '06901', areaCode: '203', weight: 136 },
  { city: 'Hartford', zip: '06106', areaCode: '860', weight: 121 },
  { city: 'Waterbury', zip: '06702', areaCode: '203', weight: 114 },
  { city: 'Norwalk', zip: '06851', areaCode: '203', weight: 91 },
  { city: 'Danbury', zip: '06810', areaCode: '203', weight: 87 },
  { city: 'New Britain', zip: '06051', areaCode: '860', weight: 74 },
  { city: 'West Hartford', zip: '06107', areaCode: '860', weight: 64 },
  { city: 'Greenwich', zip: '06830', areaCode: '203', weight: 63 },
  { city: 'Fairfield', zip: '06824', areaCode: '203', weight: 61 },
  { city: 'Hamden', zip: '06514', areaCode: '203', weight: 61 },
  { city: 'Bristol', zip: '06010', areaCode: '860', weight: 60 },
  { city: 'Meriden', zip: '06450', areaCode: '203', weight: 60 },
  { city: 'Manchester', zip: '06040', areaCode: '860', weight: 59 },
  { city: 'West Haven', zip: '06516', areaCode: '203', weight: 55 },
  { city: 'Milford', zip: '06460', areaCode: '203', weight: 52 },
  { city: 'Stratford', zip: '06615', areaCode: '203', weight: 52 },
  { city: 'East Hartford', zip: '06108', areaCode: '860', weight: 51 },
  { city: 'Middletown', zip: '06457', areaCode: '860', weight: 47 },
  { city: 'Enfield', zip: '06082', areaCode: '860', weight: 42 },
  { city: 'Southington', zip: '06489', areaCode: '860', weight: 43 },
  { city: 'Shelton', zip: '06484', areaCode: '203', weight: 41 },
  { city: 'Norwich', zip: '06360', areaCode: '860', weight: 40 },
  { city: 'Torrington', zip: '06790', areaCode: '860', weight: 35 },
  { city: 'New London', zip: '06320', areaCode: '860', weight: 28 },
  { city: 'Mystic', zip: '06355', areaCode: '860', weight: 4 },
  { city: 'Storrs', zip: '06268', areaCode: '860', weight: 16 },
  { city: 'Willimantic', zip: '06226', areaCode: '860', weight: 17 },
  { city: 'Old Saybrook', zip: '06475', areaCode: '860', weight: 10 },
];

/** Fictional street names (no real-address lookups should ever succeed on demo data). */
export const STREET_NAMES: readonly string[] = [
  'Maplewood Ave', 'Sample St', 'Harbor View Rd', 'Birchbrook Ln', 'Old Mill Rd', 'Quarry Hill Dr', 'Elmcrest Ter',
  'Whitfield St', 'Orchard Ridge Rd', 'Lantern Ln', 'Cobblestone Way', 'Foxglove Ct', 'Riverbend Rd', 'Cedar Hollow Dr',
  'Testing Pl', 'Meadowlark Ln', 'Stonewall Ave', 'Juniper Path', 'Chestnut Knoll', 'Saltmarsh Rd',
];

/**
 * A telephone number in the 555-01xx block reserved for fiction, so it can never ring a real line.
 * @param areaCode - area code.
 * @param n - any integer; its last two digits pick the line.
 * @returns the formatted number.
 */
export function fictionalPhone(areaCode: string, n: number): string {
  return `${areaCode}-555-01${String(Math.abs(n) % 100).padStart(2, '0')}`;
}
