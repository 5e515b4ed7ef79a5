// Scans on their way to the cloud, in the order they were made: a scan made while older ones wait goes behind them,
// so the cloud sees a door's scans in the door's order (the first of two in the window is the one let in). Each is
// sent with its own Idempotency-Key (its scan id) until the cloud decides it; a retry reuses the key, so a request
// the network lost after the cloud stored it gets the stored answer back, never a second record.
import { readAnswer } from './answers.js';

export class Outbox {
  /**
   * @param store   saveScan(scan) and queued() (store.js)
   * @param post    (scan) => Promise<{status, body}>; throws when the network does not answer
   * @param onDone  (scan, answer) after the cloud's answer is stored with the scan
   * @param onState ({online, queued, signedOut}) whenever one of them changes
   */
  constructor({ store, post, onDone, onState }) {
    Object.assign(this, { store, post, onDone, onState });
    this.online = true;
    this.signedOut = false;
    this.queued = 0;
    this.waiting = new Map(); // scanId -> resolve of the first attempt's result
    this.running = null;
    this.again = false;
  }

  /** Stores the scan, then sends what waits; resolves with the first attempt's result for this scan. */
  async add(scan) {
    await this.store.saveScan({ ...scan, state: 'queued' });
    const attempt = new Promise((resolve) => this.waiting.set(scan.scanId, resolve));
    this.flush();
    return attempt;
  }

  /** Sends every waiting scan, oldest first, one at a time; stops at the first that cannot be sent now. */
  flush() {
    // a scan stored while a pass is finishing must not wait for the next trigger: one more pass after this one
    this.again = true;
    if (!this.running) {
      this.running = (async () => {
        try {
          while (this.again) {
            this.again = false;
            await this.#drain();
          }
        } finally {
          // in the same turn as the last check of `again`: a flush from now on starts a new pass
          this.running = null;
        }
      })();
    }
    return this.running;
  }

  /** The browser says the network is gone: say so now, not at the next failed request. */
  offline() {
    this.#state({ online: false });
  }

  signedIn() {
    this.signedOut = false;
    return this.flush();
  }

  async #drain() {
    for (;;) {
      const queue = await this.store.queued();
      this.#state({ queued: queue.length });
      if (queue.length === 0) return;
      if (this.signedOut) {
        for (const s of queue) this.#settle(s.scanId, { kind: 'signed-out' });
        return;
      }
      const scan = queue[0];
      let answer;
      try {
        const { status, body } = await this.post(scan);
        answer = readAnswer(status, body);
        this.#state({ online: true });
      } catch {
        answer = { kind: 'offline' };
        this.#state({ online: false });
      }
      if (answer.kind === 'final' || answer.kind === 'refused') {
        const done = { ...scan, state: answer.kind === 'final' ? 'done' : 'refused', final: answer, sentAt: Date.now() };
        await this.store.saveScan(done);
        this.onDone(done, answer);
      }
      this.#settle(scan.scanId, answer);
      if (answer.kind === 'signed-out') this.#state({ signedOut: true });
      if (answer.kind !== 'final' && answer.kind !== 'refused') {
        // this scan keeps its place: the ones behind it wait for it (the interval or the network coming back retries)
        for (const s of queue.slice(1)) this.#settle(s.scanId, answer);
        return;
      }
    }
  }

  #settle(scanId, answer) {
    const resolve = this.waiting.get(scanId);
    if (resolve) {
      this.waiting.delete(scanId);
      resolve(answer);
    }
  }

  #state(change) {
    const before = { online: this.online, queued: this.queued, signedOut: this.signedOut };
    Object.assign(this, change);
    if (before.online !== this.online || before.queued !== this.queued || before.signedOut !== this.signedOut) {
      this.onState({ online: this.online, queued: this.queued, signedOut: this.signedOut });
    }
  }
}
