import type { SameVaccineGroup } from './vxu-intake.ts';

/**
 * Whether two CVX codes count as the same dose when given on the same day: they protect against a common antigen
 * per the CDSi supporting data's CVX-to-antigen map (CDSi Logic Specification, "Supporting data: schedule").
 * @param cvxToAntigens - the supporting data's map.
 * @returns the predicate.
 */
export function sameVaccineGroupFrom(cvxToAntigens: Map<string, { antigen: string }[]>): SameVaccineGroup {
  const antigens = (cvx: string): Set<string> => new Set((cvxToAntigens.get(cvx) ?? cvxToAntigens.get(cvx.padStart(2, '0')) ?? []).map((a) => a.antigen));
  return (a, b) => {
    if (a === b) return true;
    const x = antigens(a);
    for (const g of antigens(b)) if (x.has(g)) return true;
    return false;
  };
}
