// What the gates table shows of a gate that decides on its own (issue 18): its edge mismatches and its allow-list.
// Pure, so node --test checks it without a browser.

// "3 let in · 1 kept out" (since the start), with the last 15 minutes when there are any: a mismatch is never
// shown as nothing, and a gate that never disagreed shows a dash, not a zero that reads like a figure to watch
export function mismatchText(m) {
  if (!m || !m.total) return '–';
  const letIn = m.cloud_refused_gate_accepted || 0;
  const keptOut = m.cloud_accepted_gate_refused || 0;
  const recent = (m.last15Minutes || {}).total || 0;
  return `${letIn} let in · ${keptOut} kept out${recent ? ` (${recent} in 15 min)` : ''}`;
}

// the threshold's default (AttendanceEvent.DEFAULT_EDGE_MISMATCH_ALERT_THRESHOLD): rows at or above it are marked
export const MISMATCH_ALERT_DEFAULT = 5;

export function mismatchLevel(m, threshold = MISMATCH_ALERT_DEFAULT) {
  const recent = ((m || {}).last15Minutes || {}).total || 0;
  if (recent >= threshold) return 'bad';
  return m && m.total ? 'warn' : 'none';
}

// "v1764145800123 · 2 min 15 s old"; a gate that sends no allow-list (it does not decide) shows a dash
export function allowListText(h) {
  if (!h || h.allowListAgeSeconds === undefined || h.allowListAgeSeconds === null) return '–';
  const s = h.allowListAgeSeconds;
  const age = s < 60 ? `${s} s` : s < 3600 ? `${Math.floor(s / 60)} min ${s % 60} s` : `${(s / 3600).toFixed(1)} h`;
  const version = h.allowListVersion === undefined || h.allowListVersion === null ? '' : `v${h.allowListVersion} · `;
  return `${version}${age} old`;
}
