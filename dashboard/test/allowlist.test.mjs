// node --test: the check-in page's rules against the cases the Java rules are tested on (core EdgeDecisionSamplesTest).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { AllowListError, decide, durationMs, isStale, parseAllowList, statusOf } from '../src/checkin/allowlist.js';

const events = new URL('../../events/allowlist/', import.meta.url);
const text = readFileSync(new URL('demo-2026-v42.txt', events), 'utf8');
const samples = JSON.parse(readFileSync(new URL('edge-decisions.json', events), 'utf8'));
const list = parseAllowList(text);

test('the canonical text reads back with every fact the rules use', () => {
  assert.equal(list.eventId, 'demo-2026');
  assert.equal(list.version, 42);
  assert.equal(list.clockSkewToleranceMs, 120_000);
  assert.equal(list.maxAgeMs, 30 * 60_000);
  assert.equal(list.whenStale, 'refuse');
  assert.deepEqual([...list.gates.keys()], ['north', 'south']);
  assert.equal(list.ids.length, 6);
  assert.equal(statusOf(list, 'P-00004'), 'cancelled');
  assert.equal(statusOf(list, 'P-00006'), 'active');
  assert.equal(statusOf(list, 'P-00000'), null);
  assert.equal(statusOf(list, 'P-00007'), null);
});

for (const c of samples.cases) {
  test(`as the gate decides: ${c.name}`, () => {
    const at = (s) => ({ ...s, scannedAt: Date.parse(s.scannedAt) });
    const decided = decide(list, at(c.scan), Date.parse(c.receivedAt), c.acceptedHere.map(at));
    const actual = { verdict: decided.verdict };
    if (decided.reason) actual.reason = decided.reason;
    if (decided.firstScan) actual.firstScanId = decided.firstScan.scanId;
    assert.deepEqual(actual, c.expect);
  });
}

test('a truncated download or another format is refused, never half read', () => {
  assert.throws(() => parseAllowList(text.slice(0, text.length - 12)), AllowListError);
  assert.throws(() => parseAllowList(`headcount-allowlist/2\n${text.split('\n').slice(1).join('\n')}`), AllowListError);
  assert.throws(() => parseAllowList(''), AllowListError);
});

test('durations as Java writes them', () => {
  assert.equal(durationMs('PT2H'), 7_200_000);
  assert.equal(durationMs('PT1H30M'), 5_400_000);
  assert.equal(durationMs('PT0.5S'), 500);
  assert.equal(durationMs('PT168H'), 604_800_000);
  assert.throws(() => durationMs('P1D'), AllowListError);
});

test('a list is stale once the event\'s maxAge has passed since it was last confirmed current', () => {
  assert.equal(isStale(list, 0, 30 * 60_000), false);
  assert.equal(isStale(list, 0, 30 * 60_000 + 1), true);
});
