/**
 * Conditional skip of a target dose (LS §6.2 for evaluation, §7.1 for forecasting, CONDSKIP rules).
 */
import { calcDate } from './calc-date.ts';
import { ageDate } from './dose-rules.ts';
import type { ConditionalSkip, SeriesDose, SkipCondition, SkipSet } from './supporting-data-types.ts';
import type { AntigenDose, PatientContext, SeriesDoseEvaluation } from './types.ts';

/** What a conditional skip needs to know about the series being walked. */
export interface SkipContext {
  patient: PatientContext;
  antigen: string;
  /** The reference date: date administered (evaluation) or assessment date (forecast). */
  referenceDate: string;
  /** Doses of the antigen already evaluated in this series, in date order. */
  evaluated: SeriesDoseEvaluation[];
  /** All antigen doses of the patient for this antigen, in date order. */
  antigenDoses: AntigenDose[];
  /** The dose being evaluated, when in evaluation context. */
  current?: AntigenDose;
}

const typeSets = new WeakMap<SkipCondition, Set<string>>();

function countMatches(cond: SkipCondition, ctx: SkipContext): number {
  let types = typeSets.get(cond);
  if (!types) {
    types = new Set(cond.vaccineTypes);
    typeSets.set(cond, types);
  }
  const set = types;
  const matchType = (cvx: string): boolean => set.size === 0 || set.has(cvx);
  const begin = cond.type === 'vaccine count by date' ? undefined : ageDate(ctx.patient, cond.beginAge);
  const end = cond.type === 'vaccine count by date' ? undefined : ageDate(ctx.patient, cond.endAge);
  const useDates = cond.type !== 'vaccine count by age';
  const inWindow = (date: string): boolean => {
    if (begin && date < begin) return false;
    if (end && date >= end) return false;
    if (useDates && cond.startDate && date < cond.startDate) return false;
    if (useDates && cond.endDate && date >= cond.endDate) return false;
    return true;
  };
  const before = (date: string): boolean => ctx.current === undefined || date < ctx.current.date;
  if (cond.doseType === 'valid') {
    let valid = 0;
    for (const e of ctx.evaluated) if (e.status === 'Valid' && matchType(e.dose.cvx) && inWindow(e.dose.date) && before(e.dose.date)) valid += 1;
    return valid;
  }
  // "Total" counts every dose administered of the listed types, whichever antigen it was mapped to.
  let n = 0;
  for (const d of ctx.patient.doses) {
    if (matchType(d.cvx) && inWindow(d.date) && before(d.date)) n += 1;
  }
  return n;
}

function conditionMet(cond: SkipCondition, ctx: SkipContext): boolean {
  const ref = ctx.referenceDate;
  switch (cond.type) {
    case 'age': {
      const begin = ageDate(ctx.patient, cond.beginAge);
      const end = ageDate(ctx.patient, cond.endAge);
      return (!begin || ref >= begin) && (!end || ref < end);
    }
    case 'interval': {
      const prev = [...ctx.evaluated].reverse().find((e) => !e.inadvertent && (e.status === 'Valid' || e.status === 'Not Valid'));
      if (!prev) return false;
      const date = calcDate(prev.dose.date, cond.interval);
      return date !== undefined && ref >= date;
    }
    case 'completed series':
      // A series group counts as complete only from the dose that completed it: when evaluating a dose,
      // the group must have been completed by an earlier dose; when forecasting, by the reference date.
      return cond.seriesGroups.some((g) => {
        const done = ctx.patient.completedSeriesGroups.get(`${ctx.antigen}|${g}`);
        return done !== undefined && (ctx.current ? done < ref : done <= ref);
      });
    default: {
      const count = countMatches(cond, ctx);
      const target = cond.doseCount ?? 0;
      if (cond.doseCountLogic === 'greater than') return count > target;
      if (cond.doseCountLogic === 'less than') return count < target;
      return count === target;
    }
  }
}

function setApplies(set: SkipSet, ref: string): boolean {
  if (set.effectiveDate && ref < set.effectiveDate) return false;
  if (set.cessationDate && ref > set.cessationDate) return false;
  return true;
}

function setMet(set: SkipSet, ctx: SkipContext): boolean {
  if (!setApplies(set, ctx.referenceDate) || set.conditions.length === 0) return false;
  return set.conditionLogic === 'or'
    ? set.conditions.some((c) => conditionMet(c, ctx))
    : set.conditions.every((c) => conditionMet(c, ctx));
}

/**
 * Checks whether a target dose is skipped in a context (CONDSKIP-1/2).
 * @param dose - the target dose.
 * @param context - 'evaluation' or 'forecast'; entries with context Both apply to either.
 * @param ctx - the series state and reference date.
 * @returns the description of the met set, or undefined when the dose is not skipped.
 */
export function findConditionalSkip(dose: SeriesDose, context: 'evaluation' | 'forecast', ctx: SkipContext): string | undefined {
  for (const skip of dose.conditionalSkips) {
    if (skip.context !== context && skip.context !== 'both') continue;
    const met = skipMet(skip, ctx);
    if (met) return met;
  }
  return undefined;
}

function skipMet(skip: ConditionalSkip, ctx: SkipContext): string | undefined {
  // setLogic OR: the first met set; AND: every set met (the first one's description). No arrays built.
  if (skip.setLogic === 'and') {
    if (skip.sets.length === 0 || !skip.sets.every((set) => setMet(set, ctx))) return undefined;
    return skip.sets[0]?.description || 'conditional skip';
  }
  for (const set of skip.sets) if (setMet(set, ctx)) return set.description || 'conditional skip';
  return undefined;
}
