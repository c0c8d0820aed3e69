/**
 * Converts one parsed `AntigenSupportingData` XML tree into typed, normalised structures.
 */
import { normalizeDataDate } from './calc-date.ts';
import type {
  AgeRule, AntigenData, ConditionalSkip, ConditionType, Contraindication, IntervalRule, Series, SeriesDose,
  SkipCondition, SkipSet, VaccineRule,
} from './supporting-data-types.ts';
import { child, children, splitList, text, texts, type XmlNode } from './xml-node.ts';

function lower(value: string | undefined): string {
  return (value ?? '').trim().toLowerCase().replace(/\s+/g, ' ');
}

function parseAge(node: XmlNode): AgeRule {
  return {
    absMinAge: text(node, 'absMinAge'), minAge: text(node, 'minAge'), earliestRecAge: text(node, 'earliestRecAge'),
    latestRecAge: text(node, 'latestRecAge'), maxAge: text(node, 'maxAge'),
    effectiveDate: normalizeDataDate(text(node, 'effectiveDate')), cessationDate: normalizeDataDate(text(node, 'cessationDate')),
  };
}

function parseInterval(node: XmlNode): IntervalRule {
  const target = text(node, 'fromTargetDose');
  const obs = child(node, 'fromRelevantObs');
  return {
    fromPrevious: lower(text(node, 'fromPrevious')) === 'y',
    fromTargetDose: target ? Number(target) : undefined,
    fromMostRecent: splitList(text(node, 'fromMostRecent')),
    fromRelevantObs: obs ? text(obs, 'code') : undefined,
    absMinInt: text(node, 'absMinInt'), minInt: text(node, 'minInt'),
    earliestRecInt: text(node, 'earliestRecInt'), latestRecInt: text(node, 'latestRecInt'),
    override: lower(text(node, 'intervalPriority')) === 'override',
    effectiveDate: normalizeDataDate(text(node, 'effectiveDate')), cessationDate: normalizeDataDate(text(node, 'cessationDate')),
  };
}

function parseVaccine(node: XmlNode): VaccineRule {
  return {
    vaccineType: text(node, 'vaccineType') ?? '', cvx: text(node, 'cvx') ?? '',
    beginAge: text(node, 'beginAge'), endAge: text(node, 'endAge'), tradeName: text(node, 'tradeName'),
    mvx: text(node, 'mvx'), volume: text(node, 'volume'), forecastVaccineType: lower(text(node, 'forecastVaccineType')) === 'y',
  };
}

function parseCondition(node: XmlNode): SkipCondition {
  const logic = lower(text(node, 'doseCountLogic'));
  const count = text(node, 'doseCount');
  return {
    type: lower(text(node, 'conditionType')) as ConditionType,
    startDate: normalizeDataDate(text(node, 'startDate')), endDate: normalizeDataDate(text(node, 'endDate')),
    beginAge: text(node, 'beginAge'), endAge: text(node, 'endAge'), interval: text(node, 'interval'),
    doseCount: count ? Number(count) : undefined,
    doseType: lower(text(node, 'doseType')) === 'valid' ? 'valid' : 'total',
    doseCountLogic: logic === 'equal to' ? 'equal to' : logic === 'less than' ? 'less than' : 'greater than',
    vaccineTypes: splitList(text(node, 'vaccineTypes')),
    seriesGroups: splitList(text(node, 'seriesGroups')),
  };
}

function parseSkip(node: XmlNode): ConditionalSkip {
  const sets: SkipSet[] = children(node, 'set').map((set) => ({
    description: text(set, 'setDescription') ?? '',
    effectiveDate: normalizeDataDate(text(set, 'effectiveDate')), cessationDate: normalizeDataDate(text(set, 'cessationDate')),
    conditionLogic: lower(text(set, 'conditionLogic')) === 'or' ? 'or' : 'and',
    conditions: children(set, 'condition').map(parseCondition),
  }));
  const context = lower(text(node, 'context'));
  return {
    context: context === 'evaluation' ? 'evaluation' : context === 'forecast' ? 'forecast' : 'both',
    setLogic: lower(text(node, 'setLogic')) === 'and' ? 'and' : 'or',
    sets,
  };
}

function parseDose(node: XmlNode): SeriesDose {
  const season = child(node, 'seasonalRecommendation');
  return {
    doseNumber: Number((text(node, 'doseNumber') ?? '').replace(/\D/g, '')) || 0,
    ages: children(node, 'age').map(parseAge),
    intervals: children(node, 'interval').map(parseInterval),
    allowableIntervals: children(node, 'allowableInterval').map(parseInterval),
    preferableVaccines: children(node, 'preferableVaccine').map(parseVaccine),
    allowableVaccines: children(node, 'allowableVaccine').map(parseVaccine),
    inadvertentVaccines: children(node, 'inadvertentVaccine').map(parseVaccine),
    conditionalSkips: children(node, 'conditionalSkip').map(parseSkip),
    recurring: lower(text(node, 'recurringDose')) === 'yes',
    seasonStart: normalizeDataDate(text(season, 'startDate')),
    seasonEnd: normalizeDataDate(text(season, 'endDate')),
  };
}

function parseSeries(node: XmlNode, antigen: string): Series {
  const select = child(node, 'selectSeries');
  const type = lower(text(node, 'seriesType'));
  return {
    name: text(node, 'seriesName') ?? '',
    antigen,
    vaccineGroup: text(node, 'vaccineGroup') ?? '',
    type: type === 'risk' ? 'risk' : type === 'evaluation only' ? 'evaluation only' : 'standard',
    adminGuidance: text(node, 'seriesAdminGuidance'),
    equivalentSeriesGroups: splitList(text(node, 'equivalentSeriesGroups')),
    requiredGenders: texts(node, 'requiredGender').flatMap((g) => splitList(g)).map((g) => g.toLowerCase()),
    defaultSeries: lower(text(select, 'defaultSeries')) === 'yes',
    productPath: lower(text(select, 'productPath')) === 'yes',
    seriesGroupName: text(select, 'seriesGroupName') ?? '',
    seriesGroup: text(select, 'seriesGroup') ?? '',
    seriesPriority: text(select, 'seriesPriority') ?? 'Z',
    seriesPreference: Number(text(select, 'seriesPreference') ?? '99'),
    minAgeToStart: text(select, 'minAgeToStart'),
    maxAgeToStart: text(select, 'maxAgeToStart'),
    indications: children(node, 'indication').map((ind) => {
      const obs = child(ind, 'observationCode');
      return {
        observationCode: text(obs, 'code') ?? '', description: text(ind, 'description') ?? text(obs, 'text') ?? '',
        beginAge: text(ind, 'beginAge'), endAge: text(ind, 'endAge'), guidance: text(ind, 'guidance'),
      };
    }).filter((i) => i.observationCode !== ''),
    doses: children(node, 'seriesDose').map(parseDose),
  };
}

function parseContraindications(node: XmlNode | undefined, vaccineLevel: boolean): Contraindication[] {
  return children(node, 'contraindication').map((c) => ({
    observationCode: text(c, 'observationCode') ?? '',
    text: text(c, 'contraindicationText') ?? text(c, 'observationTitle') ?? '',
    beginAge: text(c, 'beginAge'), endAge: text(c, 'endAge'),
    vaccines: vaccineLevel
      ? children(c, 'contraindicatedVaccine').map((v) => ({ cvx: text(v, 'cvx') ?? '', beginAge: text(v, 'beginAge'), endAge: text(v, 'endAge') }))
      : [],
  }));
}

/**
 * Builds the typed antigen data from a parsed `antigenSupportingData` element.
 * @param root - the `antigenSupportingData` element.
 * @returns the antigen data; the antigen name is taken from the first series' target disease.
 */
export function parseAntigen(root: XmlNode): AntigenData {
  const seriesNodes = children(root, 'series');
  const name = text(seriesNodes[0], 'targetDisease') ?? '';
  const immunity = child(root, 'immunity');
  const birth = child(immunity, 'dateOfBirth');
  const contra = child(root, 'contraindications');
  return {
    name,
    immunityCodes: children(immunity, 'clinicalHistory').map((c) => text(c, 'guidelineCode') ?? '').filter((c) => c !== ''),
    immunityBirthDate: normalizeDataDate(text(birth, 'immunityBirthDate')),
    immunityExclusionCodes: children(birth, 'exclusion').map((e) => text(e, 'exclusionCode') ?? '').filter((c) => c !== ''),
    antigenContraindications: parseContraindications(child(contra, 'vaccineGroup'), false),
    vaccineContraindications: parseContraindications(child(contra, 'vaccine'), true),
    series: seriesNodes.map((s) => parseSeries(s, name)),
  };
}
