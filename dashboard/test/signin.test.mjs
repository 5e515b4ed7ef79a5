// node --test: a sign-in link (issue 19 point 3) leaves the address bar at once and never silently replaces a stored sign-in.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { takeSignInLink } from '../src/signin.js';

function page(url, { token = null, event = null, answer = false } = {}) {
  const u = new URL(url);
  const session = new Map(token ? [['headcount.token', token]] : []);
  const local = new Map(event ? [['headcount.event', event]] : []);
  const storage = (m) => ({ getItem: (k) => (m.has(k) ? m.get(k) : null), setItem: (k, v) => m.set(k, v) });
  const p = {
    asked: [], replaced: [], session, local,
    location: { hash: u.hash, search: u.search, pathname: u.pathname },
    history: { replaceState: (_s, _t, to) => p.replaced.push(to) },
    sessionStorage: storage(session), localStorage: storage(local),
    confirm: (text) => { p.asked.push(text); return answer; },
  };
  return p;
}

test('a link on a fresh tab signs in and leaves the address bar', () => {
  const p = page('https://d.example/index.html#token=T1&event=demo');
  assert.deepEqual(takeSignInLink(p), { applied: true, refused: false });
  assert.deepEqual(p.replaced, ['/index.html']);
  assert.equal(p.session.get('headcount.token'), 'T1');
  assert.equal(p.local.get('headcount.event'), 'demo');
  assert.equal(p.asked.length, 0);
});

test('a link never silently replaces a stored token or event', () => {
  const p = page('https://d.example/#token=EVIL&event=theirs', { token: 'MINE', event: 'ours', answer: false });
  assert.deepEqual(takeSignInLink(p), { applied: false, refused: true });
  assert.equal(p.asked.length, 1);
  assert.equal(p.session.get('headcount.token'), 'MINE');
  assert.equal(p.local.get('headcount.event'), 'ours');
  assert.deepEqual(p.replaced, ['/'], 'refused or not, the token leaves the address bar');

  const q = page('https://d.example/?event=theirs', { token: 'MINE', event: 'ours', answer: false });
  takeSignInLink(q);
  assert.equal(q.local.get('headcount.event'), 'ours');
});

test('after an explicit confirmation the link replaces the sign-in', () => {
  const p = page('https://d.example/#token=NEW&event=other', { token: 'OLD', event: 'ours', answer: true });
  assert.deepEqual(takeSignInLink(p), { applied: true, refused: false });
  assert.equal(p.session.get('headcount.token'), 'NEW');
  assert.equal(p.local.get('headcount.event'), 'other');
});

test('the same sign-in again asks nothing', () => {
  const p = page('https://d.example/#token=T&event=demo', { token: 'T', event: 'demo' });
  assert.deepEqual(takeSignInLink(p), { applied: true, refused: false });
  assert.equal(p.asked.length, 0);
});

test('the page takes the link before its first await', async () => {
  const main = await readFile(new URL('../src/main.js', import.meta.url), 'utf8');
  const start = main.slice(main.indexOf('async function start()')).replace(/\/\/.*$/gm, '');
  const take = start.indexOf('takeSignInLink(');
  assert.ok(take > 0, 'start() takes the sign-in link');
  assert.ok(take < start.indexOf('await'), 'before any await');
});

test('the check-in page keeps its sign-in in local storage under its own keys, with the gate from the link', () => {
  const p = page('https://d.example/checkin.html#event=demo&gate=north&token=T1');
  const options = { keys: { token: 'c.token', event: 'c.event' }, tokenStorage: p.localStorage, gateKey: 'c.gate' };
  assert.deepEqual(takeSignInLink(p, options), { applied: true, refused: false });
  assert.deepEqual(p.replaced, ['/checkin.html']);
  assert.equal(p.local.get('c.token'), 'T1');
  assert.equal(p.local.get('c.gate'), 'north');
  assert.equal(p.session.size, 0, 'nothing in the tab session: a phone reopens the page signed in');

  const q = page('https://d.example/checkin.html#gate=vip');
  q.local.set('c.gate', 'north');
  assert.deepEqual(takeSignInLink(q, { ...options, tokenStorage: q.localStorage }), { applied: false, refused: true },
    'a link cannot move a phone to another gate unasked');
  assert.match(q.asked[0], /gate "vip"/);
  assert.equal(q.local.get('c.gate'), 'north');
});
