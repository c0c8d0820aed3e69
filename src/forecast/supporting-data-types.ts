/**
 * Typed, normalised view of the CDC CDSi supporting data (antigen and schedule XML).
 * Empty XML elements become undefined; casing of enumerations is normalised at load time.
 */

/** Age attributes of a target dose (LS Table 6-15 inputs). */
export interface AgeRule {
  absMinAge?: string;
  minAge?: string;
  earliestRecAge?: string;
  latestRecAge?: string;
  maxAge?: string;
  effectiveDate?: string;
  cessationDate?: string;
}

/** A preferable or allowable interval (LS Table 6-18 inputs). */
export interface IntervalRule {
  fromPrevious: boolean;
  fromTargetDose?: number;
  fromMostRecent: string[];
  fromRelevantObs?: string;
  absMinInt?: string;
  minInt?: string;
  earliestRecInt?: string;
  latestRecInt?: string;
  override: boolean;
  effectiveDate?: string;
  cessationDate?: string;
}

/** A preferable, allowable or inadvertent vaccine of a target dose. */
export interface VaccineRule {
  vaccineType: string;
  cvx: string;
  beginAge?: string;
  endAge?: string;
  tradeName?: string;
  mvx?: string;
  volume?: string;
  forecastVaccineType: boolean;
}

/** Normalised condition types of a conditional-skip condition. */
export type ConditionType = 'age' | 'completed series' | 'interval' | 'vaccine count by age' | 'vaccine count by date' | 'vaccine count by date and age';

/** One conditional-skip condition (LS Table 6-8). */
export interface SkipCondition {
  type: ConditionType;
  startDate?: string;
  endDate?: string;
  beginAge?: string;
  endAge?: string;
  interval?: string;
  doseCount?: number;
  doseType: 'valid' | 'total';
  doseCountLogic: 'greater than' | 'equal to' | 'less than';
  vaccineTypes: string[];
  seriesGroups: string[];
}

/** A set of conditions combined by `conditionLogic`. */
export interface SkipSet {
  description: string;
  effectiveDate?: string;
  cessationDate?: string;
  conditionLogic: 'and' | 'or';
  conditions: SkipCondition[];
}

/** A conditional skip of a target dose (LS §6.2 / §7.1). */
export interface ConditionalSkip {
  context: 'evaluation' | 'forecast' | 'both';
  setLogic: 'and' | 'or';
  sets: SkipSet[];
}

/** One target dose of a series. */
export interface SeriesDose {
  doseNumber: number;
  ages: AgeRule[];
  intervals: IntervalRule[];
  allowableIntervals: IntervalRule[];
  preferableVaccines: VaccineRule[];
  allowableVaccines: VaccineRule[];
  inadvertentVaccines: VaccineRule[];
  conditionalSkips: ConditionalSkip[];
  recurring: boolean;
  seasonStart?: string;
  seasonEnd?: string;
}

/** A risk-series indication (LS §5). */
export interface Indication {
  observationCode: string;
  description: string;
  beginAge?: string;
  endAge?: string;
  guidance?: string;
}

/** A series of one antigen. */
export interface Series {
  name: string;
  antigen: string;
  vaccineGroup: string;
  type: 'standard' | 'risk' | 'evaluation only';
  adminGuidance?: string;
  equivalentSeriesGroups: string[];
  requiredGenders: string[];
  defaultSeries: boolean;
  productPath: boolean;
  seriesGroupName: string;
  seriesGroup: string;
  seriesPriority: string;
  seriesPreference: number;
  minAgeToStart?: string;
  maxAgeToStart?: string;
  indications: Indication[];
  doses: SeriesDose[];
}

/** An antigen-level or vaccine-level contraindication. */
export interface Contraindication {
  observationCode: string;
  text: string;
  beginAge?: string;
  endAge?: string;
  /** Empty for an antigen-level contraindication. */
  vaccines: { cvx: string; beginAge?: string; endAge?: string }[];
}

/** Everything the engine needs about one antigen. */
export interface AntigenData {
  name: string;
  immunityCodes: string[];
  immunityBirthDate?: string;
  immunityExclusionCodes: string[];
  antigenContraindications: Contraindication[];
  vaccineContraindications: Contraindication[];
  series: Series[];
}

/** A live-virus (vaccine) conflict row of ScheduleSupportingData. */
export interface LiveVirusConflict {
  previousCvx: string;
  currentCvx: string;
  beginInterval?: string;
  minEndInterval?: string;
  endInterval?: string;
}

/** A CVX to antigen association with optional ages. */
export interface AntigenAssociation {
  antigen: string;
  beginAge?: string;
  endAge?: string;
}

/** A CDSi observation with its coded values. */
export interface ObservationDef {
  code: string;
  title: string;
  codedValues: { code: string; system: string }[];
}

/** A vaccine group of ScheduleSupportingData. */
export interface VaccineGroupDef {
  name: string;
  administerFullVaccineGroup: boolean;
  antigens: string[];
  cvx?: string;
}

/** The whole supporting data with indexes precomputed at load time. */
export interface SupportingData {
  antigens: Map<string, AntigenData>;
  vaccineGroups: VaccineGroupDef[];
  antigenToGroup: Map<string, string>;
  cvxToAntigens: Map<string, AntigenAssociation[]>;
  cvxShortDescription: Map<string, string>;
  conflictsByPrevious: Map<string, LiveVirusConflict[]>;
  observations: Map<string, ObservationDef>;
  /** `system|code` (system upper-cased: SNOMED, ICD10, CDCPHINVS, CVX) to 3-digit observation codes. */
  observationIndex: Map<string, string[]>;
}
