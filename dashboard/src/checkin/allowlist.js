// The allow-list a gate decides from (core/.../allowlist/AllowListCodec: one fact a line, participants sorted by id)
// and the cloud's rules 2 to 6 on it (core ScanRules and WindowRule, as EdgeRules runs them on a gate), so a phone
// with no network answers as a gate would. events/allowlist/edge-decisions.json holds the cases both the Java rules
// and these are tested against: a change to one that the other lacks fails a test.

export const FORMAT = 'headcount-allowlist/1';
export const WINDOW_MS = 5 * 60 * 1000;
const SCAN_MARGIN_MS = 60 * 60 * 1000;
const ID = /^[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}$/;

export class AllowListError extends Error {}

/** ISO-8601 durations as Java's Duration.toString writes them (PT2H, PT30M, PT1M30S, PT0.5S). */
export function durationMs(text) {
  const m = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?$/.exec(text);
  if (!m || text === 'PT') throw new AllowListError(`not a duration: ${text}`);
  return ((Number(m[1] || 0) * 60 + Number(m[2] || 0)) * 60 + Number(m[3] || 0)) * 1000;
}

function instant(text, what) {
  const ms = Date.parse(text);
  if (!Number.isFinite(ms)) throw new AllowListError(`${what} is not a time: ${text}`);
  return ms;
}

/** Parses the canonical text; refuses anything else (a truncated download, another format). */
export function parseAllowList(text) {
  const lines = text.split('\n');
  if (lines[0] !== FORMAT) throw new AllowListError(`not ${FORMAT}`);
  const facts = new Map();
  const gates = new Map();
  let statuses = null;
  let i = 1;
  for (; i < lines.length; i++) {
    const cells = lines[i].split('\t');
    if (cells[0] === 'gate') {
      gates.set(cells[1], { active: cells[2] === 'active', capacityPerMinute: Number(cells[3]) });
    } else if (cells[0] === 'statuses') {
      statuses = cells.slice(1);
    } else if (cells[0] === 'participants') {
      break;
    } else {
      facts.set(cells[0], cells[1]);
    }
  }
  const count = Number(lines[i]?.split('\t')[1]);
  if (!Number.isInteger(count) || statuses === null) throw new AllowListError('no participants section');
  const ids = new Array(count);
  const statusOf = new Uint8Array(count);
  for (let p = 0; p < count; p++) {
    const line = lines[i + 1 + p];
    const tab = line === undefined ? -1 : line.indexOf('\t');
    if (tab < 0) throw new AllowListError(`participant ${p + 1} of ${count} is missing`);
    ids[p] = line.slice(0, tab);
    statusOf[p] = Number(line.slice(tab + 1));
  }
  return {
    eventId: facts.get('event'),
    version: Number(facts.get('version')),
    issuedAt: instant(facts.get('issuedAt'), 'issuedAt'),
    start: instant(facts.get('start'), 'start'),
    end: instant(facts.get('end'), 'end'),
    timeZone: facts.get('zone'),
    clockSkewToleranceMs: durationMs(facts.get('clockSkewTolerance')),
    maxAgeMs: durationMs(facts.get('maxAge')),
    whenStale: facts.get('whenStale'),
    gates,
    statuses,
    ids,
    statusOf,
  };
}

/** The participant's status, or null when not on the list. Ids sort as Java's String.compareTo does (UTF-16 units). */
export function statusOf(list, participantId) {
  let lo = 0;
  let hi = list.ids.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const id = list.ids[mid];
    if (id === participantId) return list.statuses[list.statusOf[mid]];
    if (id < participantId) lo = mid + 1;
    else hi = mid - 1;
  }
  return null;
}

export const validId = (text) => typeof text === 'string' && ID.test(text);

/**
 * The provisional answer to a scan made on this phone.
 * @param scan {participantId, gateId, direction, scannedAt (ms)}
 * @param accepted this phone's accepted scans: {scanId, participantId, gateId, direction, scannedAt (ms)}
 * @returns {{verdict: string, reason?: string, firstScan?: {scanId: string, scannedAt: number}}}
 */
export function decide(list, scan, receivedAt, accepted) {
  const status = statusOf(list, scan.participantId);
  if (status === null) return { verdict: 'rejected', reason: 'participant_not_found' };
  if (status !== 'active') return { verdict: 'rejected', reason: 'participant_inactive', status };
  const gate = list.gates.get(scan.gateId);
  if (!gate || !gate.active) return { verdict: 'rejected', reason: 'gate_not_found' };
  if (scan.scannedAt < list.start - SCAN_MARGIN_MS || scan.scannedAt > list.end + SCAN_MARGIN_MS) {
    return { verdict: 'rejected', reason: 'outside_event_window' };
  }
  if (scan.scannedAt > receivedAt + list.clockSkewToleranceMs) return { verdict: 'rejected', reason: 'clock_skew' };
  let first = null;
  for (const a of accepted) {
    if (a.participantId !== scan.participantId || a.gateId !== scan.gateId || a.direction !== scan.direction) continue;
    if (Math.abs(a.scannedAt - scan.scannedAt) > WINDOW_MS) continue;
    // the earlier scan keeps the window, the smaller id on a tie (WindowRule.precedes)
    if (!first || a.scannedAt < first.scannedAt || (a.scannedAt === first.scannedAt && a.scanId < first.scanId)) first = a;
  }
  if (first) return { verdict: 'duplicate', firstScan: { scanId: first.scanId, scannedAt: first.scannedAt } };
  return { verdict: 'accepted' };
}

/** Whether the list is past the event's maxAge since it was last confirmed current. */
export function isStale(list, confirmedAt, now) {
  return now - confirmedAt > list.maxAgeMs;
}

/** Up to {@code n} participant ids starting with {@code prefix}, in id order: the manual entry's suggestions. */
export function idsStartingWith(list, prefix, n) {
  let lo = 0;
  let hi = list.ids.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list.ids[mid] < prefix) lo = mid + 1;
    else hi = mid;
  }
  const found = [];
  for (let i = lo; i < list.ids.length && found.length < n && list.ids[i].startsWith(prefix); i++) found.push(list.ids[i]);
  return found;
}
