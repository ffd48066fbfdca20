// Keeping a document's socket alive, and getting a new one when it is not: when to connect again
// (capped exponential backoff with jitter, or what the server asked for) and when a socket that
// says nothing is dead (pings, and their pongs). The session decides what a connection is for.

import { PING_FRAME } from './protocol-frames.js';

/** A socket that has not joined after this long is given up and opened again. */
export const JOIN_TIMEOUT_MS = 10_000;

/** When to connect again after a failure: 0.5 s doubling to 15 s (by default), with jitter. */
export class Backoff {
  #first;
  #max;
  #attempt = 0;
  /** @type {number | null} milliseconds the server asked us to wait before joining again */
  #retryAfter = null;
  /** @type {number | null} when the next attempt is due (epoch ms); null: none is */
  #retryAt = null;

  /** @param {{first: number, max: number}} retry milliseconds */
  constructor({ first, max }) {
    this.#first = first;
    this.#max = max;
  }

  /** The last attempt worked (or the network is back): the next wait is short again. */
  reset() {
    this.#attempt = 0;
  }

  /** The server said how long it needs (an outage of what it depends on). @param {number} ms */
  serverAsked(ms) {
    this.#retryAfter = ms;
  }

  /** The wait before the next attempt, which is counted; the server's wish is used up. */
  next() {
    const ceiling = Math.min(this.#max, this.#first * 2 ** this.#attempt);
    const jittered = Math.round(ceiling / 2 + (Math.random() * ceiling) / 2); // jitter: not every tab at once
    const asked = this.#retryAfter === null ? 0 : this.#retryAfter + Math.round(Math.random() * this.#first);
    this.#retryAfter = null;
    const delay = Math.min(this.#max, Math.max(jittered, asked));
    this.#attempt++;
    this.#retryAt = Date.now() + delay;
    return delay;
  }

  /** No attempt is due (connecting now, offline waiting for the network, or stopped). */
  cancel() {
    this.#retryAt = null;
  }

  /** @returns {number | null} milliseconds until the next attempt, or null */
  retryIn() {
    return this.#retryAt === null ? null : Math.max(0, this.#retryAt - Date.now());
  }
}

/**
 * Pings a socket so that the server (which closes silent sockets) and this browser (which must
 * notice a dead network) both hear from the other.
 */
export class Heartbeat {
  #pingEvery;
  #silenceLimit;
  /** @type {ReturnType<typeof setInterval> | undefined} */
  #timer = undefined;
  /** When the last ping went out (0: none unanswered matters yet). */
  #pingSentAt = 0;
  #lastHeard = 0;

  /** @param {number} pingEvery milliseconds between pings @param {number} silenceLimit a socket that says nothing for this long is dead */
  constructor(pingEvery, silenceLimit) {
    this.#pingEvery = pingEvery;
    this.#silenceLimit = silenceLimit;
  }

  /** The socket said something. */
  heard() {
    this.#lastHeard = Date.now();
  }

  /**
   * Pings every so often through `send` while `current()` holds; `silent()` when a ping went unanswered too long.
   * @param {(frame: string) => void} send @param {() => boolean} current @param {() => void} silent
   */
  start(send, current, silent) {
    clearInterval(this.#timer);
    this.#timer = setInterval(() => {
      if (!current()) return;
      // Dead only if a ping went unanswered: a hidden tab's timers may run a minute late, which
      // is not the server's silence.
      if (this.#pingSentAt > this.#lastHeard && Date.now() - this.#pingSentAt > this.#silenceLimit - this.#pingEvery) {
        silent();
        return;
      }
      this.#pingSentAt = Date.now();
      send(PING_FRAME);
    }, this.#pingEvery);
  }

  stop() {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /**
   * The server closes sockets silent for `idle` ms: ping three times within it, and call a socket
   * dead after two missed pongs.
   * @param {number} idle @returns {boolean} whether the pace changed (pinging must start again to take it)
   */
  within(idle) {
    const every = Math.max(1000, Math.min(this.#pingEvery, Math.floor(idle / 3)));
    if (every === this.#pingEvery) return false;
    this.#pingEvery = every;
    this.#silenceLimit = Math.min(this.#silenceLimit, every * 2 + 5000);
    return true;
  }
}
