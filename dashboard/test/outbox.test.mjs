// node --test: the check-in page's outbox, with an in-memory store and a scripted network.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Outbox } from '../src/checkin/outbox.js';

function memoryStore() {
  const scans = new Map();
  return {
    scans,
    saveScan: async (s) => { scans.set(s.scanId, structuredClone(s)); },
    queued: async () => [...scans.values()].filter((s) => s.state === 'queued').sort((a, b) => a.createdAt - b.createdAt),
  };
}

function outbox(store, network) {
  const sent = [];
  const done = [];
  const states = [];
  const box = new Outbox({
    store,
    post: async (scan) => { sent.push(scan.scanId); return network(scan); },
    onDone: (scan, answer) => done.push([scan.scanId, answer.verdict || answer.kind]),
    onState: (s) => states.push(s),
  });
  return { box, sent, done, states };
}

const scan = (scanId, createdAt) => ({ scanId, createdAt, body: { participantId: 'P-1' } });

test('scans go out in the order they were made, each until the cloud decides it', async () => {
  const store = memoryStore();
  const { box, sent, done } = outbox(store, (s) => (s.scanId === 'b'
    ? { status: 409, body: { code: 'duplicate', firstScanId: 'a', firstScannedAt: '2026-11-26T10:00:00Z' } }
    : { status: 201, body: {} }));
  const [a, b] = await Promise.all([box.add(scan('a', 1)), box.add(scan('b', 2))]);
  await box.flush();
  assert.deepEqual(sent, ['a', 'b']);
  assert.equal(a.verdict, 'accepted');
  assert.equal(b.verdict, 'duplicate');
  assert.equal(b.firstScan.scanId, 'a');
  assert.deepEqual(done, [['a', 'accepted'], ['b', 'duplicate']]);
  assert.equal(store.scans.get('b').state, 'done');
  assert.equal(box.queued, 0);
});

test('offline, a scan stays stored and queued; the same scan (same key) goes out when the network is back', async () => {
  const store = memoryStore();
  let online = false;
  const { box, sent, states } = outbox(store, () => {
    if (!online) throw new TypeError('Failed to fetch');
    return { status: 201, body: {} };
  });
  const first = await box.add(scan('a', 1));
  const second = await box.add(scan('b', 2));
  assert.equal(first.kind, 'offline');
  assert.equal(second.kind, 'offline');
  assert.equal(store.scans.get('a').state, 'queued');
  assert.equal(box.online, false);
  assert.equal(box.queued, 2);
  online = true;
  await box.flush();
  assert.deepEqual(sent.slice(-2), ['a', 'b'], 'the older first, each with its own id');
  assert.equal(box.queued, 0);
  assert.deepEqual(states.at(-1), { online: true, queued: 0, signedOut: false });
});

test('a store that did not answer (503) keeps the scan for a retry; a refusal (403) is final and not retried', async () => {
  const store = memoryStore();
  let status = 503;
  const { box, sent } = outbox(store, () => ({ status, body: { code: status === 403 ? 'gate_not_granted' : 'unavailable' } }));
  assert.equal((await box.add(scan('a', 1))).kind, 'retry');
  assert.equal(store.scans.get('a').state, 'queued');
  status = 403;
  await box.flush();
  assert.equal(store.scans.get('a').state, 'refused');
  assert.equal(store.scans.get('a').final.code, 'gate_not_granted');
  await box.flush();
  assert.deepEqual(sent, ['a', 'a'], 'a refused scan is not sent again');
});

test('an expired token holds the queue until the phone signs in again', async () => {
  const store = memoryStore();
  let status = 401;
  const { box } = outbox(store, () => ({ status, body: { code: 'unauthorized' } }));
  assert.equal((await box.add(scan('a', 1))).kind, 'signed-out');
  assert.equal(box.signedOut, true);
  await box.add(scan('b', 2));
  assert.equal(box.queued, 2, 'nothing is sent while signed out');
  status = 201;
  await box.signedIn();
  assert.equal(box.queued, 0);
});
