// The live feed: a connect ticket from the HTTP API (the token travels in a header, never in the WebSocket's URL),
// then the WebSocket; reconnects with exponential backoff and jitter after any drop, and says at every moment whether
// what is on screen is live or stale.

export const SECTIONS = ['overall', 'gates', 'hourly', 'predictive', 'alerts'];
const PING_EVERY_MS = 30_000;
// API Gateway closes idle connections after 10 minutes; pings keep it open and prove the line is alive
const SILENT_LIMIT_MS = 75_000;
const MAX_BACKOFF_MS = 30_000;

export class Feed {
  constructor({ apiUrl, webSocketUrl, token, eventId, onMessage, onState, onDenied }) {
    Object.assign(this, { apiUrl, webSocketUrl, token, eventId, onMessage, onState, onDenied });
    this.attempt = 0;
    this.socket = null;
    this.timers = [];
    this.stopped = false;
    this.lastHeard = 0;
  }

  start() {
    this.connect();
    this.timers.push(setInterval(() => this.watch(), 5_000));
  }

  stop() {
    this.stopped = true;
    this.timers.forEach(clearInterval);
    clearTimeout(this.retry);
    if (this.socket) this.socket.close();
  }

  async connect() {
    if (this.stopped) return;
    this.onState({ state: this.attempt === 0 ? 'connecting' : 'stale', since: this.staleSince, retryAt: null });
    let ticket;
    try {
      const response = await fetch(`${this.apiUrl}/events/${encodeURIComponent(this.eventId)}/dashboard-tickets`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${this.token}` },
      });
      if (response.status === 401 || response.status === 403) {
        const problem = await response.json().catch(() => ({}));
        this.stop();
        this.onDenied(response.status, problem.detail || problem.title || 'not allowed');
        return;
      }
      if (!response.ok) throw new Error(`ticket: HTTP ${response.status}`);
      ticket = (await response.json()).ticket;
    } catch (e) {
      this.dropped(`the HTTP API did not answer (${e.message})`);
      return;
    }
    const url = `${this.webSocketUrl}?eventId=${encodeURIComponent(this.eventId)}&ticket=${encodeURIComponent(ticket)}`;
    const socket = new WebSocket(url);
    this.socket = socket;
    socket.onopen = () => {
      socket.send(JSON.stringify({ action: 'subscribe', sections: SECTIONS }));
      this.lastHeard = Date.now();
    };
    socket.onmessage = (m) => {
      this.lastHeard = Date.now();
      let message;
      try {
        message = JSON.parse(m.data);
      } catch {
        return;
      }
      // MessageTypes.SUBSCRIBED of the functions' core/messages/MessageTypes.java, the one definition
      if (message.type === 'subscribed') {
        this.attempt = 0;
        this.staleSince = null;
        this.onState({ state: 'live' });
      }
      this.onMessage(message);
    };
    socket.onclose = () => {
      if (this.socket === socket) this.dropped('the connection closed');
    };
  }

  watch() {
    const socket = this.socket;
    if (!socket || socket.readyState !== WebSocket.OPEN) return;
    if (Date.now() - this.lastHeard > SILENT_LIMIT_MS) {
      // a half-open connection: nothing arrives, not even pongs
      this.socket = null;
      socket.close();
      this.dropped('nothing heard for too long');
      return;
    }
    if (Date.now() - this.lastHeard > PING_EVERY_MS) socket.send(JSON.stringify({ action: 'ping' }));
    this.onState({ state: 'live' });
  }

  dropped(reason) {
    if (this.stopped) return;
    this.socket = null;
    this.staleSince = this.staleSince || new Date();
    const delay = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** this.attempt) * (0.75 + Math.random() / 2);
    this.attempt += 1;
    const retryAt = new Date(Date.now() + delay);
    this.onState({ state: 'stale', since: this.staleSince, retryAt, reason });
    clearTimeout(this.retry);
    this.retry = setTimeout(() => this.connect(), delay);
  }
}
