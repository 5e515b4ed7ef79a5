// A sign-in link (#token=…&event=…, or ?event=…) is read here. Whoever can send a venue screen a link must not be
// able to swap what it shows for an event and gate names of their choosing, so a link never silently replaces what
// the tab already holds: only when nothing is stored, or after the person at the screen confirms.

export const TOKEN_KEY = 'headcount.token';
export const EVENT_KEY = 'headcount.event';

/**
 * Synchronous on purpose: called before the page's first await, so the token leaves the address bar (and with it the
 * history entry a later screenshot or a shared URL would carry) before anything else can run or fail.
 * @returns {{ applied: boolean, refused: boolean }}
 */
export function takeSignInLink({ location, history, sessionStorage, localStorage, confirm }) {
  const fragment = new URLSearchParams(location.hash.slice(1));
  const query = new URLSearchParams(location.search);
  if (location.hash) history.replaceState(null, '', location.pathname + location.search);
  const token = fragment.get('token') || null;
  const eventId = fragment.get('event') || query.get('event') || null;
  if (!token && !eventId) return { applied: false, refused: false };
  const storedToken = sessionStorage.getItem(TOKEN_KEY);
  const storedEvent = localStorage.getItem(EVENT_KEY);
  const replacesToken = token !== null && storedToken !== null && storedToken !== token;
  const replacesEvent = eventId !== null && storedEvent !== null && storedEvent !== eventId;
  if (replacesToken || replacesEvent) {
    const what = replacesToken ? 'another sign-in' : 'another event';
    const ok = confirm(`This link replaces what this screen shows with ${what}${eventId ? ` (event "${eventId}")` : ''}. `
      + 'Only continue if you opened it on purpose.');
    if (!ok) return { applied: false, refused: true };
  }
  if (token) sessionStorage.setItem(TOKEN_KEY, token);
  if (eventId) localStorage.setItem(EVENT_KEY, eventId);
  return { applied: true, refused: false };
}
