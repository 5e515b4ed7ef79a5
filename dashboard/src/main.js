// The organiser's live dashboard: sign in with a token, pick the event, then everything comes over the feed.
import {
  ArcElement, BarController, BarElement, CategoryScale, Chart, DoughnutController, Legend, LinearScale,
  LineController, LineElement, PointElement, Tooltip,
} from 'chart.js';
import { Feed } from './feed.js';
import { allowListText, mismatchLevel, mismatchText } from './gates.js';
import { hourlyBars } from './hourly.js';
import { takeSignInLink } from './signin.js';

Chart.register(ArcElement, BarController, BarElement, CategoryScale, DoughnutController, Legend, LinearScale,
  LineController, LineElement, PointElement, Tooltip);
Chart.defaults.color = '#8b98a5';
Chart.defaults.borderColor = '#26313c';
Chart.defaults.animation = false;

const $ = (id) => document.getElementById(id);
const stats = {};
const alerts = new Map();
let feed;
// the default gate_overload threshold; an event with its own shows its alert all the same
const overloadThreshold = 0.8;

const number = (n) => (n === null || n === undefined ? '–' : Number(n).toLocaleString('en'));
const time = (iso) => (iso ? new Date(iso).toLocaleTimeString('en-GB') : '–');
const ago = (iso) => {
  if (!iso) return '–';
  const s = Math.max(0, Math.round((Date.now() - new Date(iso)) / 1000));
  return s < 60 ? `${s} s ago` : `${Math.floor(s / 60)} min ${s % 60} s ago`;
};

async function start() {
  // before the first await: the token must not wait in the address bar while config.json loads
  takeSignInLink({ location, history, sessionStorage, localStorage, confirm: (text) => window.confirm(text) });
  const config = await (await fetch('config.json', { cache: 'no-store' })).json();

  const token = sessionStorage.getItem('headcount.token');
  const eventId = localStorage.getItem('headcount.event');
  if (!token || !eventId) return signIn(config, '');
  open(config, token, eventId);
}

function signIn(config, error) {
  $('board').hidden = true;
  $('sign-in').hidden = false;
  $('sign-in-error').textContent = error;
  $('event').value = localStorage.getItem('headcount.event') || '';
  setState({ state: 'signed-out' });
  $('sign-in').onsubmit = (e) => {
    e.preventDefault();
    const token = $('token').value.trim();
    const eventId = $('event').value.trim();
    if (!token || !eventId) {
      $('sign-in-error').textContent = 'both a token and an event are needed';
      return;
    }
    sessionStorage.setItem('headcount.token', token);
    localStorage.setItem('headcount.event', eventId);
    $('token').value = '';
    open(config, token, eventId);
  };
}

function open(config, token, eventId) {
  $('sign-in').hidden = true;
  $('board').hidden = false;
  $('event-name').textContent = eventId;
  document.title = `Headcount · ${eventId}`;
  feed = new Feed({
    apiUrl: config.apiUrl, webSocketUrl: config.webSocketUrl, token, eventId,
    onMessage: receive,
    onState: setState,
    onDenied: (status, detail) => {
      sessionStorage.removeItem('headcount.token');
      signIn(config, status === 401 ? `the token was refused: ${detail}` : `no access to ${eventId}: ${detail}`);
    },
  });
  feed.start();
  setInterval(renderClocks, 1000);
}

function setState({ state, since, retryAt, reason }) {
  const el = $('status');
  el.className = `status ${state === 'signed-out' ? 'connecting' : state}`;
  el.dataset.state = state;
  document.body.classList.toggle('stale', state === 'stale');
  let text = state;
  if (state === 'live') text = `live · updated ${ago(stats.lastUpdated)}`;
  if (state === 'stale') {
    text = `stale since ${time(since && since.toISOString())}`;
    if (retryAt) text += ` · retrying in ${Math.max(0, Math.round((retryAt - Date.now()) / 1000))} s`;
  }
  if (state === 'signed-out') text = 'signed out';
  $('status-text').textContent = text;
  $('status-text').title = reason || '';
}

// The message types are defined once in functions/src/main/java/com/headcount/core/messages/MessageTypes.java
// (docs/asyncapi.yaml lists them); the page is built apart from the functions, so it spells them out.
function receive(message) {
  if (message.type === 'subscribed' || message.type === 'stats.updated') {
    // two statistics batches can publish in the other order than they read: an older snapshot never replaces a newer
    const older = message.type === 'stats.updated' && message.statistics && (message.statistics.version ?? 0) < (stats.version ?? 0);
    if (message.statistics && !older) Object.assign(stats, message.statistics);
    (stats.alerts || []).forEach((a) => alerts.set(a.id, a));
    render();
  } else if (message.type === 'alert.raised') {
    alerts.set(message.alert.id, { ...message.alert, fresh: true });
    renderAlerts();
  } else if (message.type === 'error') {
    $('footer').textContent = `the feed said: ${message.code}: ${message.message}`;
  }
}

function render() {
  const o = stats.overall || {};
  const p = stats.predictive || {};
  $('attendance-rate').textContent = o.attendanceRate === undefined ? '–' : `${o.attendanceRate.toFixed(1)} %`;
  $('attended').textContent = number(o.attended);
  $('total').textContent = number(o.totalParticipants);
  $('occupancy').textContent = number(o.occupancy);
  $('entries').textContent = number(o.entries);
  $('exits').textContent = number(o.exits);
  const trend = o.trend || {};
  $('last15').textContent = number(trend.last15Minutes);
  $('trend').textContent = trend.direction
    ? `${{ rising: '▲ rising', falling: '▼ falling', steady: '► steady' }[trend.direction]} (15 min before: ${number(trend.previous15Minutes)})`
    : '–';
  const expected = p.expectedFinalAttendance || {};
  $('expected').textContent = number(expected.expected);
  $('expected-range').textContent = expected.low === undefined ? '–' : `likely ${number(expected.low)} – ${number(expected.high)}`;
  $('completion').textContent = p.completion ? time(p.completion.at) : '–';
  $('peak').textContent = p.peakHour ? `peak hour ${String(p.peakHour.localHour).padStart(2, '0')}:00` : '–';
  renderGates();
  renderAlerts();
  renderCharts();
  $('footer').textContent = `figures as of ${time(stats.lastUpdated)}`;
}

function renderGates() {
  const body = $('gates');
  const gates = Object.values(stats.gates || {});
  body.replaceChildren(...gates.map((g) => {
    const row = document.createElement('tr');
    row.dataset.testid = `gate-${g.gateId}`;
    row.dataset.gate = g.gateId;
    const overloaded = g.currentLoad > overloadThreshold;
    row.classList.toggle('overloaded', overloaded);
    row.dataset.overloaded = String(overloaded);
    const h = g.health || { status: 'unknown' };
    const cells = [
      g.name || g.gateId,
      bar(g.currentLoad),
      g.estimatedWaitMinutes === undefined ? '–' : `${g.estimatedWaitMinutes.toFixed(1)} min`,
      number(g.acceptedLast5Minutes),
      number(g.totalProcessed),
      health(h, g.gateId),
      h.lastSeen ? ago(h.lastSeen) : '–',
      h.backlog === undefined || h.backlog === null ? '–' : number(h.backlog),
      clockOffset(h.clockOffsetMs),
      allowListText(h),
      mismatches(g.edgeMismatches, g.gateId),
    ];
    cells.forEach((c, i) => {
      const td = document.createElement('td');
      if (c instanceof Node) td.append(c); else td.textContent = c;
      if (i === 6) td.dataset.lastSeen = h.lastSeen || '';
      row.append(td);
    });
    return row;
  }));
}

// the gate's clock against IoT Core's (plus the network's one-way delay): minutes off make scans clock_skew rejects
function clockOffset(ms) {
  if (ms === undefined || ms === null) return '–';
  const sign = ms < 0 ? '−' : '+';
  return Math.abs(ms) < 1000 ? `${sign}${Math.abs(ms)} ms` : `${sign}${(Math.abs(ms) / 1000).toFixed(1)} s`;
}

function bar(load) {
  const el = document.createElement('div');
  el.className = 'bar';
  const fill = document.createElement('span');
  fill.style.width = `${Math.min(100, (load || 0) * 100)}%`;
  const label = document.createElement('b');
  label.textContent = `${Math.round((load || 0) * 100)} %`;
  el.append(fill, label);
  return el;
}

// the gate's provisional verdicts against the cloud's final ones: marked from the first, red at the alert's default
function mismatches(m, gateId) {
  const el = document.createElement('span');
  el.className = `mismatch ${mismatchLevel(m)}`;
  el.dataset.testid = `mismatch-${gateId}`;
  el.textContent = mismatchText(m);
  return el;
}

function health(h, gateId) {
  const el = document.createElement('span');
  el.className = `health ${h.status}`;
  el.dataset.testid = `health-${gateId}`;
  el.textContent = `● ${h.status}`;
  return el;
}

// a gate silent for longer than this is offline (GateHealth.SILENCE): shown as soon as it is so, between updates
const SILENCE_MS = 120_000;

function renderClocks() {
  document.querySelectorAll('td[data-last-seen]').forEach((td) => {
    if (!td.dataset.lastSeen) return;
    td.textContent = ago(td.dataset.lastSeen);
    const status = td.parentElement.querySelector('.health');
    if (status && Date.now() - new Date(td.dataset.lastSeen) > SILENCE_MS && !status.classList.contains('offline')) {
      status.className = 'health offline';
      status.textContent = '● offline';
    }
  });
  if ($('status').dataset.state === 'live') $('status-text').textContent = `live · updated ${ago(stats.lastUpdated)}`;
}

function renderAlerts() {
  const list = $('alerts');
  const newestFirst = [...alerts.values()].sort((a, b) => (a.raisedAt < b.raisedAt ? 1 : -1));
  if (newestFirst.length === 0) return;
  list.replaceChildren(...newestFirst.map((a) => {
    const li = document.createElement('li');
    li.dataset.type = a.type;
    li.dataset.gate = a.gateId || '';
    if (a.fresh) li.className = 'fresh';
    const what = document.createElement('div');
    what.textContent = a.message;
    const when = document.createElement('div');
    when.className = 'when';
    when.textContent = `${a.type.replace('_', ' ')} · ${time(a.raisedAt)}`;
    li.append(what, when);
    return li;
  }));
  for (const a of alerts.values()) a.fresh = false;
}

const charts = {};
function chart(id, config) {
  if (!charts[id]) charts[id] = new Chart($(id), config);
  return charts[id];
}

function renderCharts() {
  const perMinute = (stats.overall || {}).arrivalsPerMinute;
  if (perMinute) {
    const from = new Date(perMinute.from).getTime();
    const c = chart('per-minute', { type: 'bar', data: { labels: [], datasets: [{ label: 'arrivals', data: [], backgroundColor: '#58a6ff' }] },
      options: { maintainAspectRatio: false, plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true } } } });
    c.data.labels = perMinute.counts.map((_, i) => new Date(from + i * 60_000).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' }));
    c.data.datasets[0].data = perMinute.counts;
    c.update();
  }
  const bars = hourlyBars(stats);
  const c = chart('per-hour', { type: 'bar', data: { labels: [], datasets: [
    { type: 'bar', label: 'seen', data: [], backgroundColor: '#2ea043' },
    { type: 'line', label: 'forecast', data: [], borderColor: '#d29922', backgroundColor: '#d29922' }] },
  options: { maintainAspectRatio: false, scales: { y: { beginAtZero: true } } } });
  c.data.labels = bars.labels;
  c.data.datasets[0].data = bars.seen;
  c.data.datasets[1].data = bars.forecast;
  c.update();

  const methods = {};
  for (const g of Object.values(stats.gates || {})) {
    for (const [m, n] of Object.entries(g.methods || {})) methods[m] = (methods[m] || 0) + n;
  }
  const names = { ble_auto: 'BLE (automatic)', qr_scan: 'QR code', manual: 'manual' };
  const d = chart('methods', { type: 'doughnut', data: { labels: [], datasets: [{ data: [], backgroundColor: ['#58a6ff', '#2ea043', '#d29922'] }] },
    options: { maintainAspectRatio: false, plugins: { legend: { position: 'right' } } } });
  d.data.labels = Object.keys(methods).map((m) => names[m] || m);
  d.data.datasets[0].data = Object.values(methods);
  d.update();
}

start().catch((e) => {
  $('status-text').textContent = `cannot start: ${e.message}`;
});
