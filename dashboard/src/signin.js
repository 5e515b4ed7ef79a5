// A sign-in link (#token=…&event=…, or ?event=…) is read here. Whoever can send a venue screen a link must not be
// able to swap what it shows for an event and gate names of their choosing, so a link never silently replaces what
// the tab already holds: only when nothing is stored, or after the person at the screen confirms.

export const TOKEN_KEY = 'headcount.token';
export const EVENT_KEY = 'headcount.event';

/**
 * Synchronous on purpose: called before the page's first await, so the token leaves the address bar (and with it the
 * history entry a later screenshot or a shared URL would carry) before anything else can run or fail.
 * The check-in page passes its own keys, keeps its token in local storage (a phone at a door must reopen offline,
 * signed in) and takes a gate from the link too.
 * @returns {{ applied: boolean, refused: boolean }}
 */
export function takeSignInLink({ location, history, sessionStorage, localStorage, confirm }, {
  keys = { token: TOKEN_KEY, event: EVENT_KEY }, tokenStorage = sessionStorage, gateKey = null,
} = {}) {
  const fragment = new URLSearchParams(location.hash.slice(1));
  const query = new URLSearchParams(location.search);
  if (location.hash) history.replaceState(null, '', location.pathname + location.search);
  const token = fragment.get('token') || null;
  const eventId = fragment.get('event') || query.get('event') || null;
  const gateId = gateKey ? fragment.get('gate') || query.get('gate') || null : null;
  if (!token && !eventId && !gateId) return { applied: false, refused: false };
  const storedToken = tokenStorage.getItem(keys.token);
  const storedEvent = localStorage.getItem(keys.event);
  const storedGate = gateKey ? localStorage.getItem(gateKey) : null;
  const replacesToken = token !== null && storedToken !== null && storedToken !== token;
  const replacesEvent = eventId !== null && storedEvent !== null && storedEvent !== eventId;
  const replacesGate = gateId !== null && storedGate !== null && storedGate !== gateId;
  if (replacesToken || replacesEvent || replacesGate) {
    const what = replacesToken ? 'another sign-in' : replacesEvent ? 'another event' : `gate "${gateId}"`;
    const ok = confirm(`This link replaces what this screen shows with ${what}${eventId ? ` (event "${eventId}")` : ''}. `
      + 'Only continue if you opened it on purpose.');
    if (!ok) return { applied: false, refused: true };
  }
  if (token) tokenStorage.setItem(keys.token, token);
  if (eventId) localStorage.setItem(keys.event, eventId);
  if (gateId) localStorage.setItem(gateKey, gateId);
  return { applied: true, refused: false };
}
