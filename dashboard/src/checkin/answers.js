// What the cloud's answer to one scan means for the person at the door (docs/api.md, POST /attendance/record), and
// the words for it. Pure, so node --test covers every status the API documents.
import { validId } from './allowlist.js';

const REASONS = {
  participant_not_found: 'Not registered for this event',
  participant_inactive: 'Registration is not active',
  gate_not_found: 'This gate is closed',
  outside_event_window: 'Outside the event\'s hours',
  clock_skew: 'This phone\'s clock is ahead: check its time',
  scan_too_old: 'Scanned too long ago to count',
  malformed: 'Not a valid scan',
  unprocessable: 'The scan could not be stored',
  idempotency_key_reused: 'This scan id was used for another scan',
  gate_not_granted: 'This phone may not check in at this gate',
  forbidden: 'This sign-in may not check in here',
  insufficient_scope: 'This sign-in may not check in',
  not_a_badge: 'Not a badge code',
  check_by_hand: 'No answer on the phone: check the badge by hand',
};

export const reasonWords = (code) => REASONS[code] || code.replaceAll('_', ' ');

/**
 * @returns one of
 *   {kind: 'final', verdict, reason?, firstScan?}  the cloud decided: the answer is final;
 *   {kind: 'refused', code}                        this credential may not record here: nothing was stored, do not retry;
 *   {kind: 'signed-out'}                           the token is missing or expired: keep the scan, sign in again;
 *   {kind: 'retry', why}                           no decision yet (a store did not answer, throttled): send again later
 *                                                  with the same Idempotency-Key.
 */
export function readAnswer(status, body) {
  const code = body && typeof body === 'object' ? body.code : undefined;
  if (status === 201) return { kind: 'final', verdict: 'accepted' };
  if (status === 409 && code === 'duplicate') {
    return { kind: 'final', verdict: 'duplicate',
      firstScan: { scanId: body.firstScanId, scannedAt: Date.parse(body.firstScannedAt) } };
  }
  if (status === 422 && code === 'idempotency_key_reused') {
    // a second body under one key: the first stored outcome is the scan's (cannot happen with one key per scan)
    const outcome = body.record?.outcome || 'rejected';
    return outcome === 'rejected' ? { kind: 'final', verdict: 'rejected', reason: code } : { kind: 'final', verdict: outcome };
  }
  if ((status === 400 || status === 404 || status === 422) && code) return { kind: 'final', verdict: 'rejected', reason: code };
  if (status === 401) return { kind: 'signed-out' };
  if (status === 403) return { kind: 'refused', code: code || 'forbidden' };
  return { kind: 'retry', why: code || `HTTP ${status}` };
}

const clock = (ms, timeZone) => new Date(ms).toLocaleTimeString('en-GB', timeZone ? { timeZone } : {});

/** The answer's title and one line under it. */
export function answerWords(answer, { timeZone, status } = {}) {
  switch (answer.verdict) {
    case 'accepted':
      return { title: 'Welcome', detail: 'Checked in' };
    case 'duplicate':
      return { title: 'Already in',
        detail: answer.firstScan && Number.isFinite(answer.firstScan.scannedAt)
          ? `First scanned here at ${clock(answer.firstScan.scannedAt, timeZone)}` : 'Scanned here within the last 5 minutes' };
    case 'rejected':
      return { title: 'Not admitted',
        detail: answer.reason === 'participant_inactive' && status ? `Registration is ${status}` : reasonWords(answer.reason) };
    case 'refused':
      return { title: 'Not allowed here', detail: reasonWords(answer.reason) };
    default:
      return { title: 'Checking…', detail: answer.reason ? reasonWords(answer.reason) : 'Waiting for the cloud' };
  }
}

/** Whether the cloud's final answer contradicts the provisional one shown at the door (who went in, or why not). */
export const contradicts = (provisional, final) => provisional !== null && provisional.verdict !== final.verdict;

/** Reads a badge: a participant id, or a link or JSON that names one (participantId / participant / p). */
export function participantFromCode(text) {
  const trimmed = (text || '').trim();
  if (validId(trimmed)) return trimmed;
  try {
    const url = new URL(trimmed);
    for (const key of ['participantId', 'participant', 'p']) {
      const v = url.searchParams.get(key);
      if (validId(v)) return v;
    }
  } catch { /* not a link */ }
  try {
    const json = JSON.parse(trimmed);
    if (json && validId(json.participantId)) return json.participantId;
  } catch { /* not JSON */ }
  return null;
}

/**
 * Today's accepted scans at a gate from the statistics' hours (GET .../stats/hourly): each hour is written in the
 * event's time zone with its offset, so its first ten characters are the event's local date.
 */
export function todayAtGate(hours, gateId, timeZone, now) {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })
    .format(now);
  return hours.filter((h) => h.hour.slice(0, 10) === today).reduce((sum, h) => sum + (h.gates?.[gateId] || 0), 0);
}
