// node --test: the per-hour chart's bars for events that cross midnight and span days.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hourlyBars } from '../src/hourly.js';

test('an event across midnight shows its hours in time order, not by hour of day', () => {
  const stats = {
    hourly: [
      { hour: '2026-12-31T23:00:00+01:00', localHour: 23, count: 40 },
      { hour: '2027-01-01T00:00:00+01:00', localHour: 0, count: 90 },
      { hour: '2026-12-31T22:00:00+01:00', localHour: 22, count: 10 },
    ],
    predictive: { hourly: [{ start: '2027-01-01T01:00:00+01:00', localHour: 1, expected: 25 }] },
  };
  const bars = hourlyBars(stats);
  assert.deepEqual(bars.labels, ['12-31 22:00', '12-31 23:00', '01-01 00:00', '01-01 01:00']);
  assert.deepEqual(bars.seen, [10, 40, 90, 0]);
  assert.deepEqual(bars.forecast, [null, null, null, 25]);
});

test('a two-day event keeps the same hour of its two days apart', () => {
  const bars = hourlyBars({ hourly: [
    { hour: '2026-06-13T10:00:00+02:00', localHour: 10, count: 5 },
    { hour: '2026-06-14T10:00:00+02:00', localHour: 10, count: 7 },
  ] });
  assert.deepEqual(bars.labels, ['06-13 10:00', '06-14 10:00']);
  assert.deepEqual(bars.seen, [5, 7]);
});

test('a one-day event is labelled by the hour alone, in the event\'s own offset', () => {
  const bars = hourlyBars({ hourly: [{ hour: '2026-11-26T09:00:00-05:00', count: 3 }],
    predictive: { hourly: [{ start: '2026-11-26T09:00:00-05:00', expected: 4.5 }] } });
  assert.deepEqual(bars.labels, ['09:00']);
  assert.deepEqual(bars.seen, [3]);
  assert.deepEqual(bars.forecast, [4.5]);
});
