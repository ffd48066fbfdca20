// One browser's side of editing a document: its replica, the protocol of docs/protocol.md over a
// WebSocket, and the outbox that makes every local edit durable in the browser before it is sent
// and until the server acknowledges it. Knows nothing of the page: an editor binds a text field to
// it through edit() and the events it dispatches, and puts what the session reports into words.
// What it is made of, by job: protocol-frames.js (the frames), connection.js (retry and pings),
// outbox.js (the unacknowledged edits), presence.js (who else is there).
//
// Authentication (docs/security.md): the socket is opened with the access token as a
// subprotocol (`folio.bearer.<token>`, never in the URL), from a token provider the page passes
// in. The server warns before the token expires (`token-expiring`) and the session answers with
// a fresh one (`auth`), on the same socket: edits go on. If it closes 4401 anyway (the token
// expired or was revoked), the session gets a new token and joins again, resending its outbox.
// If the provider says the person is signed out, the session stops connecting and keeps its
// outbox, in memory and in the browser's storage: a page opened after signing in again claims it
// and sends it.
//
// Events (CustomEvent, `detail` as noted):
//   change    {changes}  remote edits applied: lseq.js TextChanges, in order
//   reset     {}         the whole text was replaced (loaded from storage, or a snapshot join)
//   status    {state, pending, retryIn}  connection state, role or pending count changed
//   presence  {people}   Map of site → {name, caret}: the others in the document
//   notice    {reason, code?}  something the person must be told (the page words it): deleted,
//                        unknown, refused, rejected-edit (code: the server's error), lost-edits,
//                        signed-out, too-many-sessions, view-only

import { Backoff, Heartbeat, JOIN_TIMEOUT_MS } from './connection.js';
import { InvalidDeltaError, Replica } from './lseq.js';
import { decodeSnapshot, deltaFromJson, deltaToJson } from './lseq-codec.js';
import { Outbox } from './outbox.js';
import { caretIndex, Presence } from './presence.js';
import {
  authFrame,
  base64Bytes,
  bearerProtocol,
  deltaChunks,
  FINAL_CLOSES,
  framesIn,
  joinFrame,
  ProtocolGap,
  REFUSED_EDIT_CODES,
  SUBPROTOCOL,
  TOKEN_REFUSED,
} from './protocol-frames.js';

/** @typedef {import('./edit-store.js').OutboxEntry} OutboxEntry */
/** @typedef {'connecting' | 'online' | 'offline' | 'signed-out' | 'closed'} ConnectionState */
/** @typedef {import('./protocol-frames.js').Role} Role */
/**
 * @typedef {'unknown' | 'deleted' | 'refused' | 'rejected-edit' | 'lost-edits' | 'signed-out' | 'too-many-sessions' | 'view-only'} NoticeReason
 * what a `notice` event tells the person; the page has the words for each
 */
/**
 * @typedef {(replacing?: string) => Promise<string>} TokenProvider an access token; with
 * `replacing`, one other than that (the server refused it). Rejects with an error whose
 * `signedOut` is true when the person is signed out, with any other error when offline.
 */
/** @typedef {import('./protocol-frames.js').Caret} Caret */
/** @typedef {import('./presence.js').Person} Person */
/**
 * @typedef {Pick<WebSocket, 'send' | 'close' | 'onopen' | 'onmessage' | 'onclose' | 'onerror'>} SessionSocket
 * what the session uses of a WebSocket: tests give it their own
 */

export class DocumentSession extends EventTarget {
  #documentId;
  #url;
  #store;
  #userId;
  #getToken;
  #openSocket;
  #isOnline;
  #backoff;
  #heartbeat;
  #saveDelay;

  /** @type {Replica | null} null until this browser has a site */
  #replica = null;
  /** @type {number | null} */
  #site = null;
  #counters = { nextCounter: 0, nextOp: 0 };
  /** The last version processed; null: join for a snapshot. @type {number | null} */
  #version = null;
  #outbox;

  /** @type {SessionSocket | null} */
  #socket = null;
  /** Bumped on every new socket, so events of an old one are ignored. */
  #generation = 0;
  #joined = false;
  /** @type {ConnectionState} */
  #state = 'connecting';
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  #retryTimer = undefined;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  #joinTimer = undefined;
  /** @type {string | null} why the session ended for good */
  #ended = null;

  /** @type {Role | null} as the server said when joining (or as last seen, before) */
  #role = null;
  /** The newest token the page has (from the provider or authenticate()). @type {string | null} */
  #token = null;
  /** The token the server holds for this socket: opened with, or sent in an `auth` frame. @type {string | null} */
  #sentToken = null;
  /** The server refused #sentToken (4401, or a connection that failed before opening). */
  #tokenRefused = false;
  /** When the server says the socket's token expires (its clock, epoch ms). @type {number | null} */
  #tokenExpiresAt = null;
  /** The provider said the person is signed out: no more connecting, the outbox waits. */
  #signedOut = false;

  /** Frames are handled one at a time, in order; a snapshot decode is asynchronous. */
  #frames = Promise.resolve();
  #framesQueued = 0;
  /** @type {Promise<void> | null} */
  #hold = null;
  /** @type {(() => void) | null} */
  #releaseHold = null;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  #saveTimer = undefined;
  /** @type {Promise<void> | null} the save under way */
  #saving = null;

  #presence = new Presence(() => this.#sendPresence());

  /**
   * @param {object} options
   * @param {string} options.documentId
   * @param {string} options.url the document's WebSocket URL
   * @param {import('./edit-store.js').IndexedDbEditStore | import('./edit-store.js').MemoryEditStore} options.store
   * @param {string} [options.userId] the signed-in user: only their records are claimed
   * @param {TokenProvider} [options.getToken] none: connect without a token
   * @param {Role | null} [options.role] as last seen, until the server says (a viewer offline cannot type)
   * @param {(url: string, protocols: string[]) => SessionSocket} [options.openSocket]
   * @param {() => boolean} [options.isOnline] whether the browser believes it has a network
   * @param {{first: number, max: number}} [options.retry] reconnect backoff, milliseconds
   * @param {number} [options.pingEvery] milliseconds between pings (the server closes silent sockets)
   * @param {number} [options.silenceLimit] a socket that says nothing for this long is dead
   * @param {number} [options.saveDelay] milliseconds after a change until the replica is saved
   */
  constructor({
    documentId,
    url,
    store,
    userId,
    getToken,
    role = null,
    openSocket = (address, protocols) => new WebSocket(address, protocols),
    isOnline = () => typeof navigator === 'undefined' || navigator.onLine !== false,
    retry = { first: 500, max: 15_000 },
    pingEvery = 15_000,
    silenceLimit = 35_000,
    saveDelay = 2_000,
  }) {
    super();
    this.#documentId = documentId;
    this.#url = url;
    this.#store = store;
    this.#userId = userId;
    this.#getToken = getToken;
    this.#role = role;
    this.#openSocket = openSocket;
    this.#isOnline = isOnline;
    this.#backoff = new Backoff(retry);
    this.#heartbeat = new Heartbeat(pingEvery, silenceLimit);
    this.#saveDelay = saveDelay;
    this.#outbox = new Outbox(documentId, store);
  }

  /** Loads what this browser kept of the document, shows it, and connects. */
  async start() {
    let record = null;
    try {
      record = await this.#store.claim(this.#documentId, this.#userId);
    } catch (e) {
      console.warn(`document ${this.#documentId}: could not read the browser's storage`, e);
    }
    if (record) {
      this.#site = record.site;
      this.#counters = { ...record.counters };
      this.#version = record.state ? record.version : null;
      this.#replica = record.state
        ? Replica.fromPackedState(record.site, { nextCounter: record.counters.nextCounter }, record.state)
        : new Replica(record.site, { nextCounter: record.counters.nextCounter });
      for (const entry of record.outbox) this.#outbox.keep(entry, Promise.resolve());
      this.#outbox.reapply(this.#replica, -1);
      this.#emit('reset', {});
    }
    void this.#connect();
  }

  /** The text as this browser has it. */
  get text() {
    return this.#replica ? this.#replica.text() : '';
  }

  /** Number of characters (code points). */
  get length() {
    return this.#replica ? this.#replica.length : 0;
  }

  get version() {
    return this.#version ?? 0;
  }

  get site() {
    return this.#site;
  }

  /** Local edits not acknowledged yet. */
  get pending() {
    return this.#outbox.length;
  }

  get state() {
    return this.#state;
  }

  /** Whether edit() may be called: this browser has a site, the document is still there, and the person is no viewer. */
  get editable() {
    return this.#replica !== null && this.#ended === null && this.#role !== 'viewer';
  }

  /** owner, editor or viewer: as the server said when joining; null before. @returns {Role | null} */
  get role() {
    return this.#role;
  }

  /** When the server says the socket's token expires (the server's clock, epoch ms), or null. */
  get tokenExpiresAt() {
    return this.#tokenExpiresAt;
  }

  /**
   * The page has a new access token (it refreshed it): the server gets it on this socket at once,
   * rather than closing it when the old one expires.
   * @param {string} token
   */
  authenticate(token) {
    this.#token = token;
    this.#sendToken();
  }

  /**
   * A local edit: removes `removed` characters at `index` and inserts `inserted` there (code point
   * indexes). It is kept in the outbox and sent once the browser has stored it.
   * @param {number} index @param {number} removed @param {string} inserted
   */
  edit(index, removed, inserted) {
    if (!this.#replica || !this.editable) throw new Error('the document cannot be edited now');
    // String.prototype.toWellFormed is ES2024: older browsers (before Chrome 111, Firefox 119, Safari 16.4) lack it.
    const maybeWellFormed = /** @type {string & {toWellFormed?: () => string}} */ (inserted);
    const text = maybeWellFormed.toWellFormed ? maybeWellFormed.toWellFormed() : inserted; // no lone surrogates: insert never throws on them
    if (index < 0 || index + removed > this.#replica.length) throw new RangeError(`no range ${index}+${removed}`);
    const ops = [
      ...(removed > 0 ? this.#replica.delete(index, removed).ops : []),
      ...(text ? this.#replica.insert(index, text).ops : []),
    ];
    this.#counters.nextCounter = Math.max(this.#counters.nextCounter, this.#replica.nextCounter);
    for (const chunk of deltaChunks(deltaToJson({ ops }).ops)) {
      const seq = this.#counters.nextOp++;
      const entry = { seq, opId: `${this.#site}-${seq}`, ops: chunk };
      this.#outbox.add(/** @type {number} */ (this.#site), { ...this.#counters }, entry);
    }
    this.#flush();
    this.#scheduleSave();
    this.#status();
  }

  /**
   * What the others see of this person: a name and a caret (code point indexes), or no caret.
   * Sent at most every 100 ms; the last one always goes out.
   * @param {string} name @param {Caret | null} caret
   */
  setPresence(name, caret) {
    this.#presence.set(name, caret);
  }

  /**
   * Where another person's caret position is now, as a code point index.
   * @param {unknown} position what their presence frame said: null (the start) or an identifier
   */
  caretIndex(position) {
    return caretIndex(this.#replica, position);
  }

  /** The other people in the document: site → {name, caret with code point indexes, or null}. */
  /** @returns {Map<number, Person>} */
  people() {
    return this.#presence.people(this.#replica);
  }

  /**
   * Holds remote edits back (they queue, in order) until the returned function is called: while
   * an input method composes text, the field must not change under it.
   * @returns {() => void}
   */
  hold() {
    if (!this.#hold) {
      this.#hold = new Promise((resolve) => {
        this.#releaseHold = () => {
          this.#hold = null;
          this.#releaseHold = null;
          resolve();
        };
      });
    }
    return () => this.#releaseHold?.();
  }

  /** Resolves once connected, with every edit acknowledged and every received frame handled. */
  quiet() {
    return new Promise((resolve) => {
      const check = () => {
        if (this.#state === 'online' && this.#outbox.length === 0 && this.#framesQueued === 0) {
          this.removeEventListener('status', check);
          resolve(undefined);
        }
      };
      this.addEventListener('status', check);
      check();
    });
  }

  /** Resolves once every edit made so far is in the browser's storage (or failed to get there). */
  async stored() {
    await this.#outbox.stored();
  }

  /** The browser lost its network: stop waiting on a socket that cannot answer. */
  networkLost() {
    this.#drop();
    this.#scheduleRetry();
  }

  /** The browser has a network again: connect now rather than at the next retry. */
  networkBack() {
    if (this.#ended || this.#signedOut || this.#joined) return;
    this.#drop(); // a socket still connecting may be stuck on the old network
    this.#backoff.reset();
    void this.#connect();
  }

  /** Saves the replica now (the page is being hidden or closed). */
  saveNow() {
    clearTimeout(this.#saveTimer);
    this.#saveTimer = undefined;
    return this.#save();
  }

  /** Ends the session: closes the socket and lets other tabs claim this one's storage. */
  stop() {
    this.#end(null);
    this.#store.release();
  }

  // --- connection ------------------------------------------------------------------------------

  async #connect() {
    clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
    this.#backoff.cancel();
    if (this.#ended || this.#signedOut) return;
    if (!this.#isOnline()) {
      this.#setState('offline');
      return;
    }
    const generation = ++this.#generation;
    this.#setState('connecting');
    const protocols = [SUBPROTOCOL];
    if (this.#getToken) {
      let token;
      try {
        // After a refusal, one other than the refused token (the provider refreshes if it has no newer one).
        token = await this.#getToken(this.#tokenRefused ? (this.#sentToken ?? undefined) : undefined);
      } catch (e) {
        if (generation !== this.#generation) return;
        if (/** @type {{signedOut?: boolean} | null | undefined} */ (e)?.signedOut) {
          this.#signOut();
        } else {
          console.info(`document ${this.#documentId}: no token (${/** @type {Error} */ (e).message}); trying again`);
          this.#scheduleRetry();
        }
        return;
      }
      if (generation !== this.#generation || this.#ended) return;
      this.#token = this.#sentToken = token;
      this.#tokenRefused = false;
      protocols.push(bearerProtocol(token));
    }
    let socket;
    try {
      socket = this.#openSocket(this.#url, protocols);
    } catch (e) {
      console.warn(`document ${this.#documentId}: cannot open ${this.#url}`, e);
      this.#scheduleRetry();
      return;
    }
    this.#socket = socket;
    const current = () => generation === this.#generation;
    clearTimeout(this.#joinTimer);
    this.#joinTimer = setTimeout(() => {
      if (!current() || this.#joined) return;
      console.info(`document ${this.#documentId}: no answer to joining; connecting again`);
      this.#drop();
      this.#scheduleRetry();
    }, JOIN_TIMEOUT_MS);
    let opened = false;
    socket.onopen = () => {
      if (!current()) return;
      opened = true;
      this.#heartbeat.heard();
      socket.send(joinFrame(this.#site, this.#version));
      this.#startPinging(socket, generation);
    };
    socket.onmessage = (event) => {
      if (!current()) return;
      this.#heartbeat.heard();
      const frames = framesIn(event.data);
      if (!frames) {
        console.warn(`document ${this.#documentId}: the server sent something that is not JSON`);
        return;
      }
      for (const frame of frames) this.#receive(frame, generation);
    };
    socket.onclose = (event) => {
      if (!current()) return;
      // Refused before opening: a browser cannot see why, and a 401 at the handshake is one
      // reason. The next attempt takes a new token.
      if (!opened) this.#tokenRefused = true;
      this.#closed(event.code, event.reason);
    };
    socket.onerror = () => {}; // a close event follows, with the code
  }

  /** @param {unknown} frame @param {number} generation */
  #receive(frame, generation) {
    this.#framesQueued++;
    this.#frames = this.#frames
      .then(() => this.#hold)
      .then(() => (generation === this.#generation ? this.#handle(frame, generation) : undefined))
      .catch((e) => {
        if (generation !== this.#generation) return;
        console.warn(`document ${this.#documentId}: ${e.message}; joining again`, e);
        if (e instanceof InvalidDeltaError) this.#forgetCopy(); // our copy is in doubt: start over
        this.#drop();
        this.#scheduleRetry();
      })
      .finally(() => {
        this.#framesQueued--;
        this.#status();
      });
  }

  /** @param {number} code @param {string} reason */
  #closed(code, reason) {
    this.#drop();
    if (code === TOKEN_REFUSED) {
      console.info(
        `document ${this.#documentId}: the server refused the token (${reason}); joining again with a new one`,
      );
      this.#tokenRefused = true;
    }
    const final = FINAL_CLOSES.get(code);
    if (final) {
      console.info(`document ${this.#documentId}: closed for good (${code} ${reason})`);
      if (final === 'deleted' && this.#site !== null) {
        this.#store.forget(this.#documentId, this.#site).catch(() => {});
      }
      this.#end(final);
      return;
    }
    this.#scheduleRetry();
  }

  /** Forgets the socket (closing it if open) without deciding what comes next. */
  #drop() {
    this.#generation++;
    this.#joined = false;
    clearTimeout(this.#joinTimer);
    this.#heartbeat.stop();
    if (this.#presence.clear()) {
      // the server sends everyone again after the next join
      this.#emit('presence', { people: this.people() });
    }
    const socket = this.#socket;
    this.#socket = null;
    if (socket) {
      socket.onopen = socket.onmessage = socket.onclose = socket.onerror = null;
      try {
        socket.close();
      } catch {
        // already closed
      }
    }
  }

  #scheduleRetry() {
    if (this.#ended || this.#signedOut) return;
    clearTimeout(this.#retryTimer);
    if (!this.#isOnline()) {
      this.#backoff.cancel();
      this.#setState('offline'); // networkBack() reconnects
      return;
    }
    this.#retryTimer = setTimeout(() => void this.#connect(), this.#backoff.next());
    this.#setState('offline');
  }

  /** The person is signed out: stop connecting, keep the outbox for after signing in again. */
  #signOut() {
    if (this.#signedOut || this.#ended) return;
    console.info(`document ${this.#documentId}: signed out; ${this.#outbox.length} edits wait in this browser`);
    this.#signedOut = true;
    this.#drop();
    clearTimeout(this.#retryTimer);
    this.#backoff.cancel();
    this.#setState('signed-out');
    this.#notice('signed-out');
  }

  /** @param {NoticeReason | null} reason told to the person; null: stopped by the page */
  #end(reason) {
    this.#ended = reason ?? 'stopped';
    this.#drop();
    clearTimeout(this.#retryTimer);
    clearTimeout(this.#saveTimer);
    this.#presence.stop();
    this.#saveTimer = undefined;
    this.#backoff.cancel();
    this.#releaseHold?.();
    this.#setState('closed');
    if (reason) this.#notice(reason);
  }

  /** @param {SessionSocket} socket @param {number} generation */
  #startPinging(socket, generation) {
    this.#heartbeat.start(
      (frame) => socket.send(frame),
      () => generation === this.#generation,
      () => {
        console.info(`document ${this.#documentId}: the server went silent; connecting again`);
        this.#drop();
        this.#scheduleRetry();
      },
    );
  }

  /** The server closes sockets silent for `idle` ms: ping at its pace from now on. @param {number} idle */
  #pingWithin(idle) {
    if (this.#heartbeat.within(idle) && this.#socket) this.#startPinging(this.#socket, this.#generation);
  }

  // --- frames ----------------------------------------------------------------------------------

  /**
   * @param {any} frame parsed JSON, its shape unchecked: each handler's @param is the shape
   *     docs/protocol.md gives that frame
   * @param {number} generation the socket it came on
   */
  async #handle(frame, generation) {
    switch (frame?.type) {
      case 'joined':
        return this.#onJoined(frame, generation);
      case 'delta':
        return this.#onDelta(frame);
      case 'ack':
        return this.#onAck(frame);
      case 'presence':
        return this.#onPresence(frame);
      case 'error':
        return this.#onError(frame);
      case 'token-expiring':
        return void this.#renewToken(generation); // not awaited: deltas keep coming meanwhile
      case 'authenticated':
        this.#tokenExpiresAt = typeof frame.expiresAt === 'number' ? frame.expiresAt : null;
        return undefined;
      case 'pong':
        return undefined;
      default:
        console.warn(`document ${this.#documentId}: ignoring a frame of type ${frame?.type}`);
        return undefined;
    }
  }

  /**
   * @param {{site: number, version: number, idleSeconds?: number, snapshot?: string, role?: Role, tokenExpiresAt?: number}} frame
   * @param {number} generation
   */
  async #onJoined(frame, generation) {
    if (frame.role) this.#role = frame.role;
    if (typeof frame.tokenExpiresAt === 'number') this.#tokenExpiresAt = frame.tokenExpiresAt;
    if (this.#site === null) {
      this.#site = frame.site;
      await this.#store.adopt(this.#documentId, frame.site, this.#userId).catch((e) => {
        console.warn(`document ${this.#documentId}: edits will not outlive this tab`, e);
      });
      if (generation !== this.#generation) return;
    }
    if (frame.snapshot !== undefined) {
      const replica = await decodeSnapshot(base64Bytes(frame.snapshot), this.#site, this.#counters.nextCounter);
      if (generation !== this.#generation) return;
      // Our inserts the log had when the snapshot was taken: one of them missing from it was
      // deleted since, and the server no longer remembers that delete (docs/lseq.md).
      const logged = replica.highestCounter(this.#site);
      // Keystrokes during the decode used counters on the old replica, and the log has ours up to
      // `logged` (more than this browser kept, if its storage failed): never hand them out again.
      replica.advanceCounter(Math.max(this.#counters.nextCounter, logged + 1));
      this.#counters.nextCounter = replica.nextCounter;
      this.#replica = replica;
      this.#version = frame.version;
      this.#outbox.reapply(replica, logged);
      this.#emit('reset', {});
      this.#scheduleSave();
    } else if (!this.#replica || frame.version !== this.#version) {
      throw new ProtocolGap(
        `joined at version ${frame.version} without a snapshot, but this copy is at ${this.#version}`,
      );
    }
    if (this.#role === 'viewer' && this.#outbox.length > 0) {
      // Edits kept from when this person could edit (they were made a viewer meanwhile): the
      // server will refuse every one. Drop them and take the server's text.
      for (const entry of [...this.#outbox.entries]) this.#outbox.forget(entry.opId, this.#site);
      this.#notice('view-only');
      this.#forgetCopy();
      this.#drop();
      this.#scheduleRetry();
      return;
    }
    this.#joined = true;
    // A join alone proves little while the server cannot store edits (it may close us again at
    // once): the backoff starts over on the first ack, or now if there is nothing to send.
    if (this.#outbox.length === 0) this.#backoff.reset();
    clearTimeout(this.#joinTimer);
    if (frame.idleSeconds !== undefined && frame.idleSeconds > 0) this.#pingWithin(frame.idleSeconds * 1000);
    this.#outbox.markUnsent();
    this.#setState('online');
    this.#sendToken(); // the page refreshed its token while this socket was opening
    this.#flush();
    this.#sendPresence();
    console.info(`document ${this.#documentId}: joined as site ${this.#site} at version ${this.#version}`);
  }

  /** @param {{version: number, ops: unknown}} frame */
  #onDelta(frame) {
    if (!this.#joined || !this.#replica) return;
    const current = /** @type {number} */ (this.#version);
    if (frame.version <= current) return; // a repeat: already applied
    if (frame.version !== current + 1) {
      throw new ProtocolGap(`delta ${frame.version} arrived at version ${current}`);
    }
    const changes = this.#replica.apply(deltaFromJson(frame));
    this.#version = frame.version;
    this.#forgetDeletesOnceSettled();
    if (changes.length > 0) this.#emit('change', { changes });
    this.#scheduleSave();
  }

  /**
   * With nothing of ours unacknowledged, this copy is exactly the log up to its version, and the
   * server sends each later operation once, in log order: no insert it deleted can come again, so
   * it forgets its deletes (docs/lseq.md, "Forgetting deletes").
   */
  #forgetDeletesOnceSettled() {
    if (this.#outbox.length === 0 && this.#replica) this.#replica.forgetDeletesBefore(this.#replica.deleteMark());
  }

  /** @param {{opId: string, version: number}} frame */
  #onAck(frame) {
    const current = /** @type {number} */ (this.#version);
    if (frame.version > current + 1) {
      throw new ProtocolGap(`ack of version ${frame.version} arrived at version ${current}`);
    }
    if (frame.version > current) this.#version = frame.version;
    this.#backoff.reset();
    this.#outbox.forget(frame.opId, this.#site);
    this.#forgetDeletesOnceSettled();
    this.#scheduleSave();
    this.#status();
  }

  /** @param {{site: number, name?: string, caret?: {anchor: unknown, head: unknown} | null, left?: boolean}} frame */
  #onPresence(frame) {
    if (!this.#presence.heard(frame, this.#site)) return;
    this.#emit('presence', { people: this.people() });
  }

  /** @param {{code: string, message: string, opId?: string, retryAfter?: number}} frame */
  #onError(frame) {
    console.warn(`document ${this.#documentId}: server error ${frame.code}: ${frame.message}`);
    if (Number.isFinite(frame.retryAfter) && /** @type {number} */ (frame.retryAfter) > 0) {
      this.#backoff.serverAsked(/** @type {number} */ (frame.retryAfter));
    }
    const refused = REFUSED_EDIT_CODES.has(frame.code);
    if (refused && frame.opId && this.#outbox.forget(frame.opId, this.#site)) {
      // The server will never take it, and our copy has it: take the server's copy instead.
      if (frame.code === 'read-only') this.#role = 'viewer'; // made a viewer meanwhile; joining again confirms
      this.#emit('notice', { reason: 'rejected-edit', code: frame.code });
      this.#forgetCopy();
      this.#drop();
      this.#scheduleRetry();
    } else if (frame.code === 'too-many-sessions') {
      this.#notice('too-many-sessions'); // the close (4429) follows; joining again backs off
    } else if (frame.code === 'unknown-site') {
      this.#startOver();
    } else if (frame.code === 'not-joined' || frame.code === 'already-joined') {
      this.#drop();
      this.#scheduleRetry();
    }
  }

  /** Our copy is in doubt: the next join is a snapshot join, also after a reload. */
  #forgetCopy() {
    this.#version = null;
    if (this.#site !== null) this.#store.forgetReplica(this.#documentId, this.#site).catch(() => {});
  }

  /** The server does not know our site (its database was replaced): begin again as a new client. */
  #startOver() {
    const lost = this.#outbox.length;
    if (this.#site !== null) this.#store.forget(this.#documentId, this.#site).catch(() => {});
    this.#site = null;
    this.#replica = null;
    this.#version = null;
    this.#counters = { nextCounter: 0, nextOp: 0 };
    this.#outbox.clear();
    if (lost > 0) this.#notice('lost-edits');
    this.#emit('reset', {});
    this.#drop();
    this.#backoff.reset();
    void this.#connect();
  }

  // --- tokens ----------------------------------------------------------------------------------

  /**
   * The server warned that the socket's token expires soon: get a new one and send it. Offline,
   * the server closes the socket at expiry (4401) and the next join takes a new token.
   * @param {number} generation
   */
  async #renewToken(generation) {
    if (!this.#getToken) return;
    try {
      const token = await this.#getToken(this.#sentToken ?? undefined);
      if (generation === this.#generation) this.authenticate(token);
    } catch (e) {
      if (generation !== this.#generation) return;
      if (/** @type {{signedOut?: boolean} | null | undefined} */ (e)?.signedOut) this.#signOut();
      else
        console.info(
          `document ${this.#documentId}: the token could not be renewed (${/** @type {Error} */ (e).message})`,
        );
    }
  }

  /** Sends the newest token over the joined socket, once. */
  #sendToken() {
    if (!this.#joined || !this.#socket || !this.#token || this.#token === this.#sentToken) return;
    this.#sentToken = this.#token;
    this.#socket.send(authFrame(this.#token));
  }

  // --- outbox ----------------------------------------------------------------------------------

  /** Sends every kept edit this socket has not had yet, in order, each once it is stored. A viewer sends none. */
  #flush() {
    if (!this.#joined || !this.#socket || this.#role === 'viewer') return;
    const generation = this.#generation;
    const socket = this.#socket;
    this.#outbox.sendUnsent(
      generation,
      (frame) => socket.send(frame),
      () => generation === this.#generation && this.#joined,
    );
  }

  // --- keeping the replica -----------------------------------------------------------------------

  #scheduleSave() {
    if (this.#saveTimer || this.#ended) return;
    this.#saveTimer = setTimeout(() => {
      this.#saveTimer = undefined;
      this.#saving = whenIdle().then(() => this.#save()); // between keystrokes, not in the way of one
    }, this.#saveDelay);
  }

  /** Resolves once the copy in the browser's storage has every change made so far. */
  async saved() {
    while (this.#saveTimer || this.#saving) {
      if (this.#saveTimer) await new Promise((resolve) => setTimeout(resolve, this.#saveDelay));
      const saving = this.#saving;
      await saving;
      if (this.#saving === saving) this.#saving = null;
    }
  }

  async #save() {
    if (!this.#replica || this.#site === null || this.#version === null || this.#ended) return;
    try {
      await this.#store.saveReplica(this.#documentId, this.#site, this.#version, this.#replica.packedState(), {
        ...this.#counters,
      });
    } catch (e) {
      console.warn(`document ${this.#documentId}: could not keep the text in the browser`, e);
    }
  }

  // --- presence ----------------------------------------------------------------------------------

  #sendPresence() {
    if (!this.#joined || !this.#socket || !this.#replica) return;
    const frame = this.#presence.ownFrame(this.#replica);
    if (frame) this.#socket.send(frame);
  }

  // --- events ------------------------------------------------------------------------------------

  /** @param {ConnectionState} state */
  #setState(state) {
    this.#state = state;
    this.#status();
  }

  #status() {
    this.#emit('status', { state: this.#state, pending: this.#outbox.length, retryIn: this.#backoff.retryIn() });
  }

  /** @param {NoticeReason} reason */
  #notice(reason) {
    this.#emit('notice', { reason });
  }

  /** @param {string} type @param {object} detail */
  #emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
}

/** Resolves when the page is idle (soon at the latest), so that background work waits its turn. */
function whenIdle() {
  return new Promise((resolve) => {
    if (typeof requestIdleCallback === 'function') requestIdleCallback(() => resolve(undefined), { timeout: 1000 });
    else resolve(undefined);
  });
}
