import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { runAll } from './run-cdsi.ts';

/** Goals of the acceptance suite. */
const GOALS: Record<string, number> = {
  'cdsi-healthy-childhood-and-adult-test-cases-v4.45.csv': 0.995,
  'CDSi-underlying-conditions-test-cases-v4.6.csv': 0.96,
};
/**
 * Documented floors while below goal (measured 2026-11-30: healthy 100% (goal met), conditions 93.1%
 * raw (257/276), 98.8% excluding the 16 known-stale cases in cdsi-known-stale.json; was 83.3% on 2026-11-24).
 * Raise them as the engine improves; never lower them to hide a regression.
 */
const FLOORS: Record<string, number> = {
  'cdsi-healthy-childhood-and-adult-test-cases-v4.45.csv': 0.995,
  'CDSi-underlying-conditions-test-cases-v4.6.csv': 0.93,
};

test('CDC CDSi test cases meet their goal or do not regress below the documented floor', () => {
  for (const [file, results] of runAll()) {
    const rate = results.filter((r) => r.pass).length / results.length;
    const goal = GOALS[file] ?? 1;
    const floor = FLOORS[file] ?? goal;
    if (rate < goal) console.log(`${file}: ${(rate * 100).toFixed(1)}% is below the goal ${(goal * 100).toFixed(1)}% (floor ${(floor * 100).toFixed(1)}%)`);
    assert.ok(rate >= Math.min(goal, floor), `${file}: pass rate ${(rate * 100).toFixed(1)}% regressed below ${(floor * 100).toFixed(1)}%`);
  }
});
