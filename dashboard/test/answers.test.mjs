// node --test: what the cloud's answer means at the door, and the words for it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { answerWords, contradicts, participantFromCode, readAnswer, todayAtGate } from '../src/checkin/answers.js';

test('each answer the record route documents reads as final, a refusal, a sign-out or a retry', () => {
  assert.deepEqual(readAnswer(201, {}), { kind: 'final', verdict: 'accepted' });
  const dup = readAnswer(409, { code: 'duplicate', firstScanId: 's-1', firstScannedAt: '2026-11-26T08:30:00Z' });
  assert.equal(dup.verdict, 'duplicate');
  assert.deepEqual(dup.firstScan, { scanId: 's-1', scannedAt: Date.parse('2026-11-26T08:30:00Z') });
  assert.deepEqual(readAnswer(400, { code: 'participant_inactive' }), { kind: 'final', verdict: 'rejected', reason: 'participant_inactive' });
  assert.deepEqual(readAnswer(404, { code: 'participant_not_found' }), { kind: 'final', verdict: 'rejected', reason: 'participant_not_found' });
  assert.deepEqual(readAnswer(422, { code: 'idempotency_key_reused', record: { outcome: 'accepted' } }), { kind: 'final', verdict: 'accepted' });
  assert.deepEqual(readAnswer(403, { code: 'gate_not_granted' }), { kind: 'refused', code: 'gate_not_granted' });
  assert.deepEqual(readAnswer(401, null), { kind: 'signed-out' });
  assert.equal(readAnswer(503, { code: 'unavailable' }).kind, 'retry');
  assert.equal(readAnswer(429, { code: 'too_many_requests' }).kind, 'retry');
  assert.equal(readAnswer(502, null).kind, 'retry', 'a gateway error without a body is no decision');
});

test('the words at the door: the duplicate names the first scan\'s time in the event\'s zone, a rejection its reason', () => {
  assert.equal(answerWords({ verdict: 'accepted', final: true }).title, 'Welcome');
  const dup = answerWords({ verdict: 'duplicate', firstScan: { scanId: 's', scannedAt: Date.parse('2026-11-26T08:30:05Z') } },
    { timeZone: 'Europe/Berlin' });
  assert.equal(dup.title, 'Already in');
  assert.equal(dup.detail, 'First scanned here at 09:30:05');
  assert.equal(answerWords({ verdict: 'rejected', reason: 'participant_inactive' }, { status: 'cancelled' }).detail,
    'Registration is cancelled');
  assert.equal(answerWords({ verdict: 'rejected', reason: 'participant_not_found' }).detail, 'Not registered for this event');
  assert.equal(answerWords({ verdict: 'rejected', reason: 'something_new' }).detail, 'something new');
});

test('a correction is a different verdict, not a different wording', () => {
  assert.equal(contradicts({ verdict: 'accepted' }, { verdict: 'rejected' }), true);
  assert.equal(contradicts({ verdict: 'accepted' }, { verdict: 'accepted' }), false);
  assert.equal(contradicts(null, { verdict: 'rejected' }), false, 'nothing was shown as decided');
});

test('a badge is an id, or a link or JSON naming one; anything else is not a badge', () => {
  assert.equal(participantFromCode(' P-00001 '), 'P-00001');
  assert.equal(participantFromCode('https://tickets.example/b?participantId=P-7'), 'P-7');
  assert.equal(participantFromCode('{"participantId":"P-8"}'), 'P-8');
  assert.equal(participantFromCode('hello world'), null);
  assert.equal(participantFromCode(''), null);
});

test('today at this gate: the hours of the event\'s local date only', () => {
  const hours = [
    { hour: '2026-11-25T23:00:00+01:00', gates: { north: 5 } },
    { hour: '2026-11-26T00:00:00+01:00', gates: { north: 2, south: 9 } },
    { hour: '2026-11-26T10:00:00+01:00', gates: { north: 3 } },
  ];
  // 23:30 UTC on the 25th is 00:30 on the 26th in Berlin
  assert.equal(todayAtGate(hours, 'north', 'Europe/Berlin', Date.parse('2026-11-25T23:30:00Z')), 5);
  assert.equal(todayAtGate(hours, 'east', 'Europe/Berlin', Date.parse('2026-11-25T23:30:00Z')), 0);
});
