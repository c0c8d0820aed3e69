import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { loadStaleCases } from './cdsi-harness.ts';
import { runAll, STALE_FILE } from './run-cdsi.ts';

/** Goals of the acceptance suite. */
const GOALS: Record<string, number> = {
  'cdsi-healthy-childhood-and-adult-test-cases-v4.45.csv': 0.995,
  'CDSi-underlying-conditions-test-cases-v4.6.csv': 0.96,
};
/**
 * Documented floors while below goal (measured 2026-11-30: healthy 100% (goal met), conditions 93.8% raw
 * (259/276), 100% excluding the 17 known-stale cases in cdsi-known-stale.json, whose expectations contradict
 * supporting data 4.64 or LS 4.6 and so cap the raw rate at 259/276; was 93.1% earlier on 2026-11-30 and 83.3%
 * on 2026-11-24). Raise them as the engine improves; never lower them to hide a regression.
 */
const FLOORS: Record<string, number> = {
  'cdsi-healthy-childhood-and-adult-test-cases-v4.45.csv': 0.995,
  'CDSi-underlying-conditions-test-cases-v4.6.csv': 0.938,
};

const results = runAll();

test('CDC CDSi test cases meet their goal or do not regress below the documented floor', () => {
  for (const [file, list] of results) {
    const rate = list.filter((r) => r.pass).length / list.length;
    const goal = GOALS[file] ?? 1;
    const floor = FLOORS[file] ?? goal;
    if (rate < goal) console.log(`${file}: ${(rate * 100).toFixed(1)}% is below the goal ${(goal * 100).toFixed(1)}% (floor ${(floor * 100).toFixed(1)}%)`);
    assert.ok(rate >= Math.min(goal, floor), `${file}: pass rate ${(rate * 100).toFixed(1)}% regressed below ${(floor * 100).toFixed(1)}%`);
  }
});

test('every known-stale case still fails, so the list never hides a case the engine passes', () => {
  const outcome = new Map([...results.values()].flat().map((r) => [r.testCase.id, r.pass]));
  for (const { id } of loadStaleCases(STALE_FILE)) {
    assert.equal(outcome.has(id), true, `${id} is not a CDC case`);
    assert.equal(outcome.get(id), false, `${id} passes now: remove it from cdsi-known-stale.json`);
  }
});
