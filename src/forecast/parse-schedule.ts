/**
 * Converts the parsed `ScheduleSupportingData` XML into typed indexes (conflicts, groups, CVX map,
 * observations).
 */
import type {
  AntigenAssociation, AntigenData, LiveVirusConflict, ObservationDef, SupportingData, VaccineGroupDef,
} from './supporting-data-types.ts';
import { child, children, text, type XmlNode } from './xml-node.ts';

function normalizeSystem(system: string): string {
  const s = system.toUpperCase().replace(/[^A-Z0-9]/g, '');
  if (s.startsWith('ICD10')) return 'ICD10';
  if (s.startsWith('SNOMED') || s === 'SCT') return 'SNOMED';
  return s;
}

/**
 * Builds the supporting data from the schedule element and the parsed antigens.
 * @param root - the `scheduleSupportingData` element.
 * @param antigens - antigens by name.
 * @returns the complete supporting data with indexes.
 */
export function buildScheduleData(root: XmlNode, antigens: Map<string, AntigenData>): SupportingData {
  const conflictsByPrevious = new Map<string, LiveVirusConflict[]>();
  for (const c of children(child(root, 'liveVirusConflicts'), 'liveVirusConflict')) {
    const conflict: LiveVirusConflict = {
      previousCvx: text(child(c, 'previous'), 'cvx') ?? '', currentCvx: text(child(c, 'current'), 'cvx') ?? '',
      beginInterval: text(c, 'conflictBeginInterval'), minEndInterval: text(c, 'minConflictEndInterval'),
      endInterval: text(c, 'conflictEndInterval'),
    };
    const list = conflictsByPrevious.get(conflict.previousCvx) ?? [];
    list.push(conflict);
    conflictsByPrevious.set(conflict.previousCvx, list);
  }

  const cvxToAntigens = new Map<string, AntigenAssociation[]>();
  const cvxShortDescription = new Map<string, string>();
  for (const m of children(child(root, 'cvxToAntigenMap'), 'cvxMap')) {
    const cvx = text(m, 'cvx') ?? '';
    cvxShortDescription.set(cvx, text(m, 'shortDescription') ?? '');
    cvxToAntigens.set(cvx, children(m, 'association').map((a) => ({
      antigen: text(a, 'antigen') ?? '', beginAge: text(a, 'associationBeginAge'), endAge: text(a, 'associationEndAge'),
    })));
  }

  const groupAntigens = new Map<string, string[]>();
  for (const m of children(child(root, 'vaccineGroupToAntigenMap'), 'vaccineGroupMap')) {
    groupAntigens.set(text(m, 'name') ?? '', children(m, 'antigen').length > 0 ? [] : []);
    const value = m['antigen'];
    const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
    groupAntigens.set(text(m, 'name') ?? '', list.filter((v): v is string => typeof v === 'string').map((v) => v.trim()));
  }
  const antigenToGroup = new Map<string, string>();
  const vaccineGroups: VaccineGroupDef[] = children(child(root, 'vaccineGroups'), 'vaccineGroup').map((g) => {
    const name = text(g, 'name') ?? '';
    const groupAntigenList = groupAntigens.get(name) ?? [];
    for (const a of groupAntigenList) antigenToGroup.set(a, name);
    return {
      name, administerFullVaccineGroup: (text(g, 'administerFullVaccineGroup') ?? '').toLowerCase() === 'yes',
      antigens: groupAntigenList, cvx: findGroupCvx(groupAntigenList, cvxToAntigens, cvxShortDescription),
    };
  });

  const observations = new Map<string, ObservationDef>();
  const observationIndex = new Map<string, string[]>();
  for (const o of children(child(root, 'observations'), 'observation')) {
    const code = text(o, 'observationCode') ?? '';
    const codedValues = children(child(o, 'codedValues'), 'codedValue').map((v) => ({
      code: text(v, 'code') ?? '', system: normalizeSystem(text(v, 'codeSystem') ?? ''),
    }));
    observations.set(code, { code, title: text(o, 'observationTitle') ?? '', codedValues });
    for (const v of codedValues) {
      const key = `${v.system}|${v.code}`;
      const list = observationIndex.get(key) ?? [];
      if (!list.includes(code)) list.push(code);
      observationIndex.set(key, list);
    }
  }
  return { antigens, vaccineGroups, antigenToGroup, cvxToAntigens, cvxShortDescription, conflictsByPrevious, observations, observationIndex };
}

/** The "unspecified formulation" CVX whose antigens are exactly the group's antigens. */
function findGroupCvx(antigens: string[], cvxToAntigens: Map<string, AntigenAssociation[]>, names: Map<string, string>): string | undefined {
  let fallback: string | undefined;
  const wanted = [...antigens].sort().join('|');
  for (const [cvx, assoc] of cvxToAntigens) {
    const have = [...new Set(assoc.map((a) => a.antigen))].sort().join('|');
    if (have !== wanted) continue;
    if (/unspecified/i.test(names.get(cvx) ?? '')) return cvx;
    fallback ??= cvx;
  }
  return fallback;
}
