// The staff check-in page: a phone at one gate reads badges (camera or typed id), answers at once and keeps working
// with no network. Online it shows the cloud's decision (or, if the cloud is slow, the phone's own and then the
// cloud's); offline it decides from the gate's allow-list, marks the answer provisional, queues the scan and shows a
// correction if the cloud decides otherwise when the scan finally reaches it.
import { takeSignInLink } from '../signin.js';
import { AllowListError, decide, idsStartingWith, isStale, parseAllowList } from './allowlist.js';
import { answerWords, contradicts, participantFromCode, todayAtGate } from './answers.js';
import { startCamera } from './camera.js';
import { Outbox } from './outbox.js';
import { openStore } from './store.js';

const KEYS = { token: 'headcount.checkin.token', event: 'headcount.checkin.event' };
const GATE_KEY = 'headcount.checkin.gate';
// how long an online answer waits for the cloud before the phone's own is shown (the cloud's follows)
const CLOUD_BUDGET_MS = 800;
const LIST_EVERY_MS = 60_000;
const RETRY_EVERY_MS = 5_000;
const COUNT_EVERY_MS = 15_000;

const $ = (id) => document.getElementById(id);
const s = {
  config: null, token: null, eventId: null, gateId: null, store: null, outbox: null,
  list: null, listMeta: null, accepted: [], serverCount: null, refused: false, shownScanId: null,
};

function claims(token) {
  try {
    const part = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    return JSON.parse(atob(part.padEnd(part.length + ((4 - (part.length % 4)) % 4), '=')));
  } catch {
    return {};
  }
}

async function start() {
  // before the first await: the token leaves the address bar at once
  takeSignInLink({ location, history, sessionStorage, localStorage, confirm: (t) => window.confirm(t) },
    { keys: KEYS, tokenStorage: localStorage, gateKey: GATE_KEY });
  if ('serviceWorker' in navigator) navigator.serviceWorker.register('sw.js').catch(() => {});
  s.config = await (await fetch('config.json', { cache: 'no-store' }).catch(() => caches.match('config.json'))).json();
  s.token = localStorage.getItem(KEYS.token);
  s.eventId = localStorage.getItem(KEYS.event);
  const gates = claims(s.token || '').gates;
  s.gateId = localStorage.getItem(GATE_KEY)
    || (Array.isArray(gates) && gates.length === 1 && gates[0] !== '*' ? gates[0] : null);
  if (!s.token || !s.eventId || !s.gateId) return signIn('');
  await open();
}

function signIn(error) {
  $('sign-in').hidden = false;
  $('door').hidden = true;
  $('sign-in-error').textContent = error;
  $('sign-in-event').value = s.eventId || '';
  $('sign-in-gate').value = s.gateId || '';
  $('sign-in').onsubmit = (e) => {
    e.preventDefault();
    const token = $('sign-in-token').value.trim();
    const eventId = $('sign-in-event').value.trim();
    const gateId = $('sign-in-gate').value.trim();
    if (!token || !eventId || !gateId) {
      $('sign-in-error').textContent = 'a sign-in code, an event and a gate are all needed';
      return;
    }
    localStorage.setItem(KEYS.token, token);
    localStorage.setItem(KEYS.event, eventId);
    localStorage.setItem(GATE_KEY, gateId);
    location.reload();
  };
}

async function open() {
  $('sign-in').hidden = true;
  $('door').hidden = false;
  $('gate').textContent = s.gateId;
  $('event').textContent = s.eventId;
  document.title = `Check-in · ${s.gateId}`;
  s.store = await openStore();
  const saved = await s.store.list(listKey());
  if (saved) useList(parseAllowList(saved.text), saved);
  // the window needs the accepted scans of the last five minutes, also those made before a reload
  for (const scan of await s.store.since(Date.now() - 10 * 60_000)) {
    const verdict = (scan.final || scan.provisional || {}).verdict;
    if (verdict === 'accepted') s.accepted.push(acceptedScan(scan));
  }
  s.outbox = new Outbox({
    store: s.store, post, onDone: decided, onState: networkState,
  });
  if (navigator.onLine === false) s.outbox.offline(); // opened with no network at all (from the service worker)
  networkState({ online: s.outbox.online, queued: (await s.store.queued()).length, signedOut: false });
  wireControls();
  renderListAge();
  setInterval(renderListAge, 10_000);
  setInterval(() => s.outbox.flush(), RETRY_EVERY_MS);
  setInterval(syncList, LIST_EVERY_MS);
  setInterval(refreshCount, COUNT_EVERY_MS);
  addEventListener('online', () => { s.outbox.flush(); syncList(); });
  addEventListener('offline', () => s.outbox.offline());
  await syncList();
  s.outbox.flush();
  refreshCount();
  startCamera($('camera'), (text, decodedAt) => {
    const participantId = participantFromCode(text);
    dispatchEvent(new CustomEvent('checkin:decoded', { detail: { participantId, text, decodedAt } }));
    if (participantId) scan(participantId, 'qr_scan');
    else show({ verdict: 'rejected', reason: 'not_a_badge', final: true, participantId: '' });
  }).then((camera) => {
    $('camera-note').hidden = true;
    if (camera.torch) {
      let on = false;
      $('torch').hidden = false;
      $('torch').onclick = async () => {
        on = !on;
        await camera.torch(on).catch(() => { on = !on; });
        $('torch').setAttribute('aria-pressed', String(on));
      };
    }
  }).catch((e) => {
    $('camera-note').textContent = `No camera (${e.name || e.message}): type the participant id below.`;
  });
}

const listKey = () => `${s.eventId}/${s.gateId}`;
// config.json's apiUrl is the API's base, /api/v1 included (as the dashboard uses it)
const api = (path) => `${s.config.apiUrl.replace(/\/$/, '')}${path}`;
const authorised = (extra = {}) => ({ Authorization: `Bearer ${s.token}`, ...extra });

function wireControls() {
  $('manual').onsubmit = (e) => {
    e.preventDefault();
    const id = participantFromCode($('participant').value);
    if (!id) return;
    $('participant').value = '';
    $('participant').focus();
    scan(id, 'manual');
  };
  $('participant').oninput = () => {
    const prefix = $('participant').value.trim();
    const ids = s.list && prefix.length >= 2 ? idsStartingWith(s.list, prefix, 8) : [];
    $('participants').replaceChildren(...ids.map((id) => Object.assign(document.createElement('option'), { value: id })));
  };
  $('sign-out').onclick = () => {
    if (!window.confirm('Sign this phone out? Scans not yet sent stay on the phone and go out after the next sign-in.')) return;
    localStorage.removeItem(KEYS.token);
    location.reload();
  };
  // sound needs a touch first (browsers' autoplay rules): the first tap anywhere unlocks it
  const unlock = () => {
    audio();
    $('sound').hidden = true;
    removeEventListener('pointerdown', unlock);
    removeEventListener('keydown', unlock);
  };
  addEventListener('pointerdown', unlock);
  addEventListener('keydown', unlock);
}

// ---- a scan ------------------------------------------------------------------------------------------------------

async function scan(participantId, method) {
  if (s.refused) return show({ verdict: 'refused', reason: s.refused, final: true, participantId });
  const now = Date.now();
  const record = {
    scanId: crypto.randomUUID(),
    createdAt: now,
    participantId,
    gateId: s.gateId,
    direction: $('direction').value,
    body: {
      eventId: s.eventId, participantId, gateId: s.gateId, timestamp: new Date(now).toISOString(), method,
      direction: $('direction').value,
    },
  };
  record.provisional = provisional(record, now);
  if (record.provisional && record.provisional.verdict === 'accepted') s.accepted.push(acceptedScan(record));
  const base = { scanId: record.scanId, participantId };
  const first = s.outbox.add(record);
  // offline (as far as the phone knows) the phone's own answer shows at once; online the cloud gets a short while
  const answer = s.outbox.online && navigator.onLine !== false
    ? await Promise.race([first, new Promise((r) => setTimeout(() => r({ kind: 'slow' }), CLOUD_BUDGET_MS))])
    : { kind: 'offline' };
  if (answer.kind === 'final' || answer.kind === 'refused') return; // decided() showed it
  show({ ...base, ...(record.provisional || { verdict: 'pending', reason: s.list ? 'check_by_hand' : undefined }), final: false });
  if (answer.kind === 'signed-out') signedOut();
}

function provisional(record, now) {
  if (!s.list) return null;
  if (s.list.whenStale === 'refuse' && isStale(s.list, s.listMeta.confirmedAt, now)) return null;
  return decide(s.list, { ...record, scannedAt: record.createdAt }, now, s.accepted);
}

const acceptedScan = (r) => ({
  scanId: r.scanId, participantId: r.participantId, gateId: r.gateId, direction: r.direction, scannedAt: r.createdAt,
});

async function post(record) {
  const response = await fetch(api('/attendance/record'), {
    method: 'POST',
    headers: authorised({ 'Content-Type': 'application/json', 'Idempotency-Key': record.scanId }),
    body: JSON.stringify(record.body),
    signal: AbortSignal.timeout(10_000),
  });
  const body = await response.json().catch(() => null);
  return { status: response.status, body };
}

/** The cloud decided a scan (now, or when a queued one reached it). */
function decided(record, answer) {
  const final = answer.kind === 'refused' ? { verdict: 'refused', reason: answer.code } : answer;
  s.accepted = s.accepted.filter((a) => a.scanId !== record.scanId);
  if (final.verdict === 'accepted') s.accepted.push(acceptedScan(record));
  if (answer.kind === 'refused') s.refused = answer.code;
  const shown = { scanId: record.scanId, participantId: record.participantId, ...final, final: true };
  // the cloud names the reason, the list the status behind it: the words stay the same when the verdict does
  if (final.reason && final.reason === record.provisional?.reason) shown.status = record.provisional.status;
  if (contradicts(record.provisional, final)) correction(record, shown);
  // an older scan's answer never covers the one on screen: a contradiction shows as a correction instead
  if (s.shownScanId === record.scanId || Date.now() - record.createdAt < CLOUD_BUDGET_MS) {
    show(shown, { quiet: record.provisional?.verdict === final.verdict && s.shownScanId === record.scanId });
  }
  if (final.verdict === 'accepted') setTimeout(refreshCount, 1500);
  renderCount();
}

function correction(record, final) {
  const words = answerWords(final, { timeZone: s.list?.timeZone });
  const was = answerWords({ ...record.provisional, final: false }).title;
  const li = document.createElement('li');
  li.dataset.scanId = record.scanId;
  li.dataset.verdict = final.verdict;
  li.className = final.verdict;
  li.textContent = `${new Date(record.createdAt).toLocaleTimeString('en-GB')} ${record.participantId}: shown "${was}", `
    + `the cloud says "${words.title}" (${words.detail})`;
  $('corrections').prepend(li);
  while ($('corrections').children.length > 20) $('corrections').lastChild.remove();
  $('corrections-box').hidden = false;
  $('corrections-box').open = true;
}

// ---- the answer on screen ---------------------------------------------------------------------------------------

function show(answer, { quiet = false } = {}) {
  const el = $('answer');
  s.shownScanId = answer.scanId || null;
  const status = answer.status;
  const words = answerWords(answer, { timeZone: s.list?.timeZone, status });
  el.dataset.verdict = answer.verdict;
  el.dataset.final = String(answer.final);
  el.dataset.participant = answer.participantId || '';
  el.dataset.scanId = answer.scanId || '';
  $('answer-title').textContent = words.title;
  $('answer-participant').textContent = answer.participantId || '';
  $('answer-detail').textContent = words.detail;
  $('answer-provisional').hidden = answer.final;
  el.classList.remove('flash');
  void el.offsetWidth; // restart the animation for a new answer
  el.classList.add('flash');
  if (!quiet) signal(answer.verdict);
  const detail = { participantId: answer.participantId, scanId: answer.scanId, verdict: answer.verdict, final: answer.final };
  requestAnimationFrame(() => dispatchEvent(new CustomEvent('checkin:answer', {
    detail: { ...detail, shownAt: performance.now() },
  })));
}

let context;
function audio() {
  if (!context && window.AudioContext) context = new AudioContext();
  if (context && context.state === 'suspended') context.resume();
  return context;
}

const TONES = { accepted: [[880, 0.12]], duplicate: [[660, 0.1], [660, 0.1]], rejected: [[220, 0.45]], refused: [[220, 0.45]] };
const BUZZ = { accepted: [60], duplicate: [80, 60, 80], rejected: [400], refused: [400] };

function signal(verdict) {
  if (navigator.vibrate && BUZZ[verdict]) navigator.vibrate(BUZZ[verdict]);
  const ctx = context && context.state === 'running' ? context : null;
  if (!ctx || !TONES[verdict]) return;
  let t = ctx.currentTime;
  for (const [hz, seconds] of TONES[verdict]) {
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.frequency.value = hz;
    gain.gain.setValueAtTime(0.3, t);
    gain.gain.exponentialRampToValueAtTime(0.001, t + seconds);
    osc.connect(gain).connect(ctx.destination);
    osc.start(t);
    osc.stop(t + seconds);
    t += seconds + 0.05;
  }
}

// ---- the allow-list, the counter, the network ---------------------------------------------------------------------

function useList(list, meta) {
  s.list = list;
  s.listMeta = meta;
  renderListAge();
}

async function syncList() {
  let response;
  const have = s.listMeta ? `?haveVersion=${s.listMeta.version}` : '';
  try {
    response = await fetch(api(`/events/${encodeURIComponent(s.eventId)}/gates/${encodeURIComponent(s.gateId)}/allowlist${have}`),
      { headers: authorised(), cache: 'no-store', signal: AbortSignal.timeout(10_000) });
  } catch {
    return; // offline: the list on the phone stands, its age shows how old it is
  }
  const body = await response.json().catch(() => ({}));
  if (response.status === 401) return signedOut();
  // this phone may not check in here, or the gate is not one of the event's: final until another sign-in
  if (response.status === 403 || (response.status === 404 && ['event_not_found', 'gate_not_found'].includes(body.code))) {
    s.refused = body.code || 'forbidden';
    return show({ verdict: 'refused', reason: s.refused, final: true, participantId: '' });
  }
  if (!response.ok) return;
  const confirmedAt = Date.now();
  if (!body.url && s.listMeta && body.version === s.listMeta.version) {
    s.listMeta = { ...s.listMeta, confirmedAt };
    await s.store.confirmList(listKey(), confirmedAt);
    return renderListAge();
  }
  try {
    const text = await download(body.url, body.sha256);
    const list = parseAllowList(text);
    if (list.eventId !== s.eventId || list.version !== body.version) throw new AllowListError('not the list announced');
    const meta = { key: listKey(), text, version: list.version, sha256: body.sha256, confirmedAt };
    await s.store.saveList(meta);
    useList(list, meta);
  } catch (e) {
    $('list-age').title = `the new list could not be read: ${e.message}`;
  }
}

/** The list's bytes (gzip as stored), checked against the hash the API announced before anything is used. */
async function download(url, sha256) {
  const response = await fetch(url, { cache: 'no-store', signal: AbortSignal.timeout(30_000) });
  if (!response.ok) throw new AllowListError(`download answered ${response.status}`);
  let bytes = new Uint8Array(await response.arrayBuffer());
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    bytes = new Uint8Array(await new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'))).arrayBuffer());
  }
  const digest = [...new Uint8Array(await crypto.subtle.digest('SHA-256', bytes))]
    .map((b) => b.toString(16).padStart(2, '0')).join('');
  if (digest !== sha256) throw new AllowListError('the download does not match its hash');
  return new TextDecoder().decode(bytes);
}

function renderListAge() {
  const el = $('list-age');
  if (!s.list) {
    el.textContent = 'no guest list on this phone yet';
    el.className = 'bad';
    return;
  }
  const minutes = Math.floor((Date.now() - s.listMeta.confirmedAt) / 60_000);
  const stale = isStale(s.list, s.listMeta.confirmedAt, Date.now());
  el.dataset.version = String(s.list.version);
  el.dataset.stale = String(stale);
  el.className = stale ? 'bad' : minutes >= 5 ? 'warn' : '';
  el.textContent = `guest list v${s.list.version} · ${s.list.ids.length.toLocaleString('en')} people · `
    + `${minutes < 1 ? 'checked just now' : `checked ${minutes} min ago`}${stale ? ' · STALE' : ''}`;
}

async function refreshCount() {
  try {
    const response = await fetch(api(`/events/${encodeURIComponent(s.eventId)}/stats/hourly`),
      { headers: authorised(), cache: 'no-store', signal: AbortSignal.timeout(10_000) });
    if (!response.ok) return;
    s.serverCount = todayAtGate((await response.json()).hourly || [], s.gateId, s.list?.timeZone, Date.now());
  } catch { /* offline: the last figure and the queue's own stand */ }
  renderCount();
}

async function renderCount() {
  // the cloud's figure, plus the scans this phone let in that the cloud has not seen yet
  const waiting = s.store ? (await s.store.queued()).filter((q) => q.provisional?.verdict === 'accepted').length : 0;
  $('count').textContent = s.serverCount === null && waiting === 0 ? '–' : String((s.serverCount || 0) + waiting);
}

function networkState({ online, queued, signedOut: out }) {
  $('network').textContent = online ? 'online' : 'offline';
  $('network').dataset.online = String(online);
  $('queue').textContent = String(queued);
  if (out) signedOut();
  renderCount();
}

function signedOut() {
  $('signed-out').hidden = false;
}

start().catch((e) => {
  $('answer-title').textContent = 'The page could not start';
  $('answer-detail').textContent = e.message;
});
