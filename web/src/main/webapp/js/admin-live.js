// The admin console's live stream: server-sent events from the node that serves the page
// (GET /api/admin/live, docs/operations.md "The admin console"). An EventSource sends no
// Authorization header, and the access token never goes in a URL: each stream is opened with a
// ticket, good once for 30 s, that an authenticated call takes first. The stream ends ("expired")
// when the token that took its ticket does; a new ticket opens the next one. When the stream
// fails the page falls back to polling, and the stream is tried again a little later.

/** @typedef {import('./admin-api.js').AdminApi} AdminApi */
/** @typedef {import('./admin-api.js').NodeInfo} NodeInfo */
/** @typedef {import('./admin-api.js').Pipeline} Pipeline */

/**
 * @typedef {object} Sample one tick's rates on the streaming node
 * @property {number} at seconds since the epoch
 * @property {number} deltasPerSecond
 * @property {number | null} publishMillis mean send-and-commit time, null if no delta was sent
 * @property {number | null} brokerMillis mean time in the broker's queue
 * @property {number | null} kafkaMillis mean time from the bridge's send to this node's feed
 */

/**
 * @typedef {object} History the streaming node's last hour, as columns
 * @property {number[]} at
 * @property {number[]} deltasPerSecond
 * @property {Array<number | null>} publishMillis
 * @property {Array<number | null>} brokerMillis
 * @property {Array<number | null>} kafkaMillis
 */

/**
 * @typedef {object} Tick
 * @property {string} at
 * @property {NodeInfo[]} nodes
 * @property {Pipeline} pipeline
 * @property {Record<string, {total: number, byNode: Record<string, number>}>} sessions by document id
 * @property {Sample} sample
 */

/**
 * @typedef {object} LiveHandlers
 * @property {(history: History) => void} history
 * @property {(tick: Tick) => void} tick
 * @property {(live: boolean) => void} state whether the stream is open (else the page polls)
 */

/** After a failure, the stream is tried again this much later (the page polls meanwhile). */
const RETRY_MILLIS = 30_000;

export class LiveStream {
  /** @param {AdminApi} api @param {string} root @param {LiveHandlers} handlers */
  constructor(api, root, handlers) {
    this.api = api;
    this.root = root;
    this.handlers = handlers;
    /** @type {EventSource | null} */
    this.source = null;
    this.live = false;
  }

  /** Opens the stream (with a new ticket); on failure the page polls and it is tried again. */
  async open() {
    this.source?.close();
    /** @type {string} */
    let ticket;
    try {
      ticket = (await this.api.liveTicket()).ticket;
    } catch {
      this.down();
      return;
    }
    const source = new EventSource(`${this.root}/api/admin/live?ticket=${encodeURIComponent(ticket)}`);
    this.source = source;
    source.addEventListener('history', (event) => {
      this.up();
      this.handlers.history(JSON.parse(/** @type {MessageEvent} */ (event).data));
    });
    source.addEventListener('tick', (event) => {
      this.up();
      this.handlers.tick(JSON.parse(/** @type {MessageEvent} */ (event).data));
    });
    // The token that took the ticket expired: a new ticket, with the token refreshed by then.
    source.addEventListener('expired', () => this.open());
    // The browser would reconnect with the same ticket, which is used up: close, poll, retry.
    source.addEventListener('error', () => {
      if (this.source !== source) return;
      source.close();
      this.down();
    });
  }

  up() {
    if (this.live) return;
    this.live = true;
    this.handlers.state(true);
  }

  down() {
    this.live = false;
    this.handlers.state(false);
    setTimeout(() => this.open(), RETRY_MILLIS);
  }
}
