/**
 * `npm run cdsi`: runs every CDC test case and prints pass rates per file and per vaccine group,
 * then each failure with its differences. Known-stale cases are reported, never hidden.
 */
import { fileURLToPath } from 'node:url';
import { sharedDataDir } from '../helpers/shared-data.ts';
import { dirname, join } from 'node:path';
import { loadSupportingData } from '../../src/forecast/load-supporting-data.ts';
import { loadCases, loadStaleCases, runCase, type CaseResult } from './cdsi-harness.ts';

const here = dirname(fileURLToPath(import.meta.url));
/** Supporting data shipped with the product. */
export const DATA_DIR = join(here, '../../src/forecast/supporting-data/4.64');
/** Folder of the CDC case CSVs: CDSI_CASES_DIR, else the shared data folder (test/helpers/shared-data.ts). */
export const CASES_DIR = process.env['CDSI_CASES_DIR'] ?? join(sharedDataDir(), 'cdsi', 'test-cases');
/** The CDC case files. */
export const CASE_FILES = [
  join(CASES_DIR, 'cdsi-healthy-childhood-and-adult-test-cases-v4.45.csv'),
  join(CASES_DIR, 'CDSi-underlying-conditions-test-cases-v4.6.csv'),
];
/** The explicit list of known-stale cases. */
export const STALE_FILE = join(here, 'cdsi-known-stale.json');

/**
 * Runs all cases of all files.
 * @returns results per file name.
 */
export function runAll(): Map<string, CaseResult[]> {
  const data = loadSupportingData(DATA_DIR);
  const out = new Map<string, CaseResult[]>();
  for (const file of CASE_FILES) {
    const cases = loadCases(file);
    out.set(file.split('/').pop() ?? file, cases.map((c) => runCase(c, data)));
  }
  return out;
}

function pct(pass: number, total: number): string {
  return total === 0 ? 'n/a' : `${((100 * pass) / total).toFixed(1)}%`;
}

function main(): void {
  const stale = new Map(loadStaleCases(STALE_FILE).map((s) => [s.id, s.evidence]));
  const results = runAll();
  const failures: CaseResult[] = [];
  for (const [file, list] of results) {
    const pass = list.filter((r) => r.pass).length;
    const staleFail = list.filter((r) => !r.pass && stale.has(r.testCase.id)).length;
    console.log(`\n${file}: ${pass}/${list.length} pass (${pct(pass, list.length)}); excluding ${staleFail} known-stale failures: ${pct(pass, list.length - staleFail)}`);
    const byGroup = new Map<string, { pass: number; total: number }>();
    for (const r of list) {
      const g = byGroup.get(r.testCase.group) ?? { pass: 0, total: 0 };
      g.total += 1;
      if (r.pass) g.pass += 1;
      byGroup.set(r.testCase.group, g);
      if (!r.pass) failures.push(r);
    }
    for (const [group, g] of [...byGroup].sort()) console.log(`  ${group.padEnd(24)} ${String(g.pass).padStart(4)}/${String(g.total).padEnd(4)} ${pct(g.pass, g.total)}`);
  }
  if (process.argv.includes('--quiet')) return;
  console.log(`\nFailures (${failures.length}):`);
  for (const r of failures) {
    const tag = stale.has(r.testCase.id) ? ' [known-stale]' : '';
    console.log(`- ${r.testCase.id} ${r.testCase.group} "${r.testCase.name}"${tag}`);
    for (const d of r.differences) console.log(`    ${d}`);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
