/**
 * A compact model of the CDC immunization schedules (child/adolescent and adult, 2025 editions,
 * https://www.cdc.gov/vaccines/hcp/imz-schedules/) used to decide which doses a synthetic person received and when.
 * Doses are grouped into well-child visits, as clinics do, with jitter on each visit; a "behind" child drifts
 * later at each visit and drops some doses. This is a generator of plausible histories, not a forecaster.
 */
import type { Prng } from './prng.ts';
import { DAYS_PER_YEAR, toEpochDay } from './dates.ts';
import { PRODUCTS, type SeriesKey, type VaccineProduct } from './vaccine-products.ts';

/** How closely a person followed the schedule. */
export type Adherence = 'complete' | 'behind' | 'minimal';

/** One dose the person received. */
export interface PlannedDose {
  /** Schedule series the dose belongs to. */
  readonly series: SeriesKey;
  /** Epoch day of administration. */
  readonly day: number;
  /** Product given. */
  readonly product: VaccineProduct;
}

/** Inputs of {@link planDoses}. */
export interface ScheduleInput {
  /** Epoch day of birth. */
  readonly birthDay: number;
  /** Epoch day of "today": nothing is planned after it. */
  readonly today: number;
  /** Schedule adherence. */
  readonly adherence: Adherence;
  /** Clinic brand preference (0: Merck/GSK-leaning, 1: Sanofi/Pfizer-leaning), kept for the whole history. */
  readonly preference: 0 | 1;
}

/**
 * Electronic reporting to the (fictional) registry starts here; older doses are simply not in it, which is also
 * why adults carry no childhood history.
 */
export const REGISTRY_START_DAY = toEpochDay('2010-06-01');

const D = (iso: string): number => toEpochDay(iso);
/** Birthday-ish day `years` after `day`; the ±1 day error is far below the schedule jitter and avoids Date objects. */
const addYears = (day: number, years: number): number => day + Math.round(years * DAYS_PER_YEAR);
/** 1 September of a year (flu season start) without parsing strings in the hot loop. */
const septemberFirst = (year: number): number => Date.UTC(year, 8, 1) / 86_400_000;
const PCV15_20_FROM = D('2023-07-01');
const FLU_QUAD_FROM = D('2013-07-01');
const FLU_TRI_AGAIN_FROM = D('2024-07-01');
const FLU_HD_QUAD_FROM = D('2020-07-01');
const HPV9_FROM = D('2016-01-01');
const MENACTRA_UNTIL = D('2017-01-01');
const MENQUADFI_FROM = D('2020-05-01');
const PRIORIX_FROM = D('2022-06-03');
const RZV_FROM = D('2018-01-01');
const PCV20_ADULT_FROM = D('2021-11-01');
const RSV_ADULT_FROM = D('2023-08-01');
const COVID_FROM_SEASON = 2023;
const ADULT_HEPB_FROM = D('2022-04-01');

/**
 * Chooses the product of a series as a clinic would on that day, for that age.
 * @param series - schedule series.
 * @param day - epoch day of administration.
 * @param ageYears - age at administration.
 * @param pref - clinic brand preference.
 * @returns the product.
 */
export function chooseProduct(series: SeriesKey, day: number, ageYears: number, pref: 0 | 1): VaccineProduct {
  const p = PRODUCTS;
  switch (series) {
    case 'hepb': return ageYears >= 19 ? p.engerixAdult : pref === 0 ? p.recombivaxPeds : p.engerixPeds;
    case 'rv': return pref === 0 ? p.rotaTeq : p.rotarix;
    case 'dtap': return pref === 0 ? p.infanrix : p.daptacel;
    case 'hib': return pref === 0 ? p.pedvaxHib : p.actHib;
    case 'pcv': return day < PCV15_20_FROM ? p.prevnar13 : pref === 0 ? p.vaxneuvance : p.prevnar20;
    case 'ipv': return p.ipol;
    case 'flu':
      if (ageYears >= 65) {
        return day >= FLU_HD_QUAD_FROM && day < FLU_TRI_AGAIN_FROM ? p.fluHdQuad : p.fluHdTri;
      }
      if (day >= FLU_QUAD_FROM && day < FLU_TRI_AGAIN_FROM) {
        return p.fluQuadPf;
      }
      return pref === 0 ? p.fluTriPf : p.fluTriPfPmc;
    case 'mmr': return pref === 1 && day >= PRIORIX_FROM ? p.priorix : p.mmrII;
    case 'var': return p.varivax;
    case 'hepa': return pref === 0 ? p.vaqtaPeds : p.havrixPeds;
    case 'tdap': return pref === 0 ? p.boostrix : p.adacel;
    case 'td': return p.tenivac;
    case 'hpv': return day < HPV9_FROM ? p.gardasil : p.gardasil9;
    case 'menacwy': return day < MENACTRA_UNTIL ? p.menactra : pref === 1 && day >= MENQUADFI_FROM ? p.menQuadfi : p.menveo;
    case 'covid': return ageYears < 12 ? p.comirnatyKids : pref === 0 ? p.comirnaty : p.spikevax;
    case 'zoster': return p.shingrix;
    case 'pneumo-adult': return day >= PCV20_ADULT_FROM ? p.prevnar20 : p.pneumovax;
    case 'rsv': return pref === 0 ? p.arexvy : p.abrysvo;
  }
}

/**
 * Plans the doses a person received between birth (or the registry start) and today.
 * @param rng - seeded generator (consumed; the order of draws is part of the determinism contract).
 * @param input - birth, today, adherence and brand preference.
 * @returns doses sorted by day; every day is within [birthDay, today].
 */
export function planDoses(rng: Prng, input: ScheduleInput): PlannedDose[] {
  const { birthDay, today, adherence, preference } = input;
  const doses: PlannedDose[] = [];
  const earliest = Math.max(birthDay, REGISTRY_START_DAY);
  const behind = adherence === 'behind';
  const minimal = adherence === 'minimal';
  let lag = 0;

  const give = (series: SeriesKey, day: number): void => {
    if (day < earliest || day > today) {
      return;
    }
    const age = (day - birthDay) / DAYS_PER_YEAR;
    doses.push({ series, day, product: chooseProduct(series, day, age, preference) });
  };
  /** A well-child visit at `ageDays` (+jitter), drifting later when behind; returns its day. */
  const visit = (ageDays: number, jitter: number): number => {
    if (behind) {
      lag += rng.int(10, 90);
    }
    return birthDay + ageDays + rng.int(0, jitter) + lag;
  };
  /** Behind children miss some doses altogether. */
  const takes = (): boolean => !behind || rng.chance(0.75);

  // Birth dose of hepatitis B is given in the nursery, even to children who later fall behind.
  give('hepb', birthDay + rng.int(0, 1));
  if (!minimal) {
    const hibDoses = preference === 0 ? 3 : 4; // PRP-OMP needs no 6-month dose
    const rvDoses = preference === 0 ? 3 : 2; // RV1 is a 2-dose series
    const v2 = visit(61, 14);
    const v4 = v2 + 56 + rng.int(0, 14) + (behind ? rng.int(0, 60) : 0);
    const v6 = v4 + 56 + rng.int(0, 20) + (behind ? rng.int(0, 60) : 0);
    for (const s of ['dtap', 'hib', 'pcv', 'ipv', 'rv'] as const) {
      if (takes()) give(s, v2);
      if (takes()) give(s, v4);
    }
    give('hepb', birthDay + 30 + rng.int(0, 30) + lag);
    if (takes()) give('dtap', v6);
    if (takes()) give('pcv', v6);
    if (hibDoses === 4 && takes()) give('hib', v6);
    if (rvDoses === 3 && v6 - birthDay <= 243 && takes()) give('rv', v6); // RV max age 8 months 0 days
    if (takes()) give('ipv', v6 + rng.int(0, 90));
    if (takes()) give('hepb', v6);
    const v12 = visit(365, 60);
    for (const s of ['mmr', 'var', 'hepa', 'pcv', 'hib'] as const) {
      if (takes()) give(s, v12);
    }
    const v15 = visit(456, 90);
    if (takes()) give('dtap', v15);
    if (takes()) give('hepa', v12 + 183 + rng.int(0, 180));
    const v4y = visit(Math.round(4 * DAYS_PER_YEAR), 400);
    for (const s of ['dtap', 'ipv', 'mmr', 'var'] as const) {
      if (takes()) give(s, v4y);
    }
    const v11 = visit(Math.round(11 * DAYS_PER_YEAR), 400);
    for (const s of ['tdap', 'menacwy'] as const) {
      if (takes()) give(s, v11);
    }
    if (rng.chance(behind ? 0.4 : 0.8)) {
      give('hpv', v11);
      give('hpv', v11 + 183 + rng.int(0, 180));
    }
    if (takes()) give('menacwy', visit(Math.round(16 * DAYS_PER_YEAR), 300));
    planAdultDoses(rng, input, give);
  }
  planSeasonalDoses(rng, input, give);
  doses.sort((a, b) => a.day - b.day);
  return doses;
}

/** Adult boosters and age-based adult vaccines (Td/Tdap every 10 years, hep B, RZV, pneumococcal, RSV). */
function planAdultDoses(rng: Prng, input: ScheduleInput, give: (s: SeriesKey, day: number) => void): void {
  const { birthDay, today } = input;
  for (let age = 21; age <= 90; age += 10) {
    if (rng.chance(0.55)) {
      give(age === 21 ? 'tdap' : rng.chance(0.5) ? 'tdap' : 'td', addYears(birthDay, age) + rng.int(0, 700));
    }
  }
  const adultHepB = Math.max(addYears(birthDay, 19), ADULT_HEPB_FROM) + rng.int(0, 1500);
  if (adultHepB < addYears(birthDay, 60) && rng.chance(0.12)) {
    give('hepb', adultHepB);
    give('hepb', adultHepB + 30 + rng.int(0, 20));
    give('hepb', adultHepB + 180 + rng.int(0, 60));
  }
  const rzv = Math.max(addYears(birthDay, 50), RZV_FROM) + rng.int(0, 1500);
  if (rng.chance(0.45)) {
    give('zoster', rzv);
    give('zoster', rzv + 61 + rng.int(0, 120)); // second RZV dose 2-6 months later
  }
  if (rng.chance(0.6)) {
    give('pneumo-adult', addYears(birthDay, 65) + rng.int(0, 1000));
  }
  const rsv = Math.max(addYears(birthDay, 60), RSV_ADULT_FROM) + rng.int(0, 400);
  if (rsv <= today && rng.chance(0.4)) {
    give('rsv', rsv);
  }
}

/** Yearly influenza (from 6 months; two doses in the first season under 9 years) and COVID-19 from 2023-24. */
function planSeasonalDoses(rng: Prng, input: ScheduleInput, give: (s: SeriesKey, day: number) => void): void {
  const { birthDay, today, adherence } = input;
  const first = new Date(Math.max(birthDay + 183, REGISTRY_START_DAY) * 86_400_000).getUTCFullYear() - 1;
  const last = new Date(today * 86_400_000).getUTCFullYear();
  let fluSeasons = 0;
  for (let year = first; year <= last; year += 1) {
    const seasonStart = septemberFirst(year);
    const day = seasonStart + rng.int(10, 100);
    const age = (day - birthDay) / DAYS_PER_YEAR;
    if (age < 0.5) {
      continue;
    }
    const pFlu = adherence === 'minimal' ? 0.05 : age < 18 ? (adherence === 'complete' ? 0.75 : 0.3) : age >= 65 ? 0.7 : 0.45;
    if (rng.chance(pFlu)) {
      give('flu', day);
      if (fluSeasons === 0 && age < 9) {
        give('flu', day + 28 + rng.int(0, 14));
      }
      fluSeasons += 1;
    }
    if (year >= COVID_FROM_SEASON && age >= 5) {
      const pCovid = adherence === 'minimal' ? 0 : age >= 65 ? 0.45 : age < 18 ? 0.12 : 0.22;
      if (rng.chance(pCovid)) {
        give('covid', day + rng.int(0, 30));
      }
    }
  }
}
