// node --test: the gates table's edge mismatches and allow-list cells.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allowListText, mismatchLevel, mismatchText } from '../src/gates.js';

test('a gate\'s mismatches read both ways, with the alert window when it has any', () => {
  const m = { cloud_accepted_gate_refused: 1, cloud_refused_gate_accepted: 3, total: 4,
    last15Minutes: { cloud_accepted_gate_refused: 0, cloud_refused_gate_accepted: 2, total: 2 } };
  assert.equal(mismatchText(m), '3 let in · 1 kept out (2 in 15 min)');
  assert.equal(mismatchLevel(m), 'warn');
  assert.equal(mismatchText({ ...m, last15Minutes: { total: 0 } }), '3 let in · 1 kept out');
});

test('at the alert threshold the row is marked, and a gate that never disagreed shows a dash', () => {
  const m = { cloud_accepted_gate_refused: 0, cloud_refused_gate_accepted: 5, total: 5, last15Minutes: { total: 5 } };
  assert.equal(mismatchLevel(m), 'bad');
  assert.equal(mismatchLevel(m, 6), 'warn');
  assert.equal(mismatchText({ cloud_accepted_gate_refused: 0, cloud_refused_gate_accepted: 0, total: 0 }), '–');
  assert.equal(mismatchText(undefined), '–', 'statistics from before mismatches existed');
  assert.equal(mismatchLevel(undefined), 'none');
});

test('the allow-list shows its version and age, and nothing for a gate without one', () => {
  assert.equal(allowListText({ allowListVersion: 42, allowListAgeSeconds: 135 }), 'v42 · 2 min 15 s old');
  assert.equal(allowListText({ allowListVersion: 42, allowListAgeSeconds: 7 }), 'v42 · 7 s old');
  assert.equal(allowListText({ allowListAgeSeconds: 5400 }), '1.5 h old');
  assert.equal(allowListText({ status: 'online', allowListAgeSeconds: null }), '–');
  assert.equal(allowListText({ status: 'unknown' }), '–');
});
