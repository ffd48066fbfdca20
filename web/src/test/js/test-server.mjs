// An in-process stand-in for Folio's WebSocket endpoint, for the DocumentSession tests: one
// document, the protocol of docs/protocol.md (versions, acks, opId deduplication, catch-up or
// snapshot joins, batches, presence), and a network the test can break: frames duplicated,
// connections dropped after so many frames, the network switched off. The real server is tested
// by the system tests; this one lets the client's tests break things on purpose, at exact points.
//
// With an `issuer` (TestIssuer), it also plays docs/security.md: the access token comes
// as the subprotocol `folio.bearer.<token>` next to `folio.v1`, and a connection without a valid
// one fails before opening (as a 401 at the handshake looks to a browser); `joined` carries the
// user's `role` and `tokenExpiresAt`; `warnBefore` ms before expiry the server sends
// `token-expiring`, takes `auth` frames (`authenticated`, or `invalid-token` and 4401 for a bad one
// or another user's), and closes 4401 (`token-expired`) at expiry; a viewer's delta gets `read-only`.
import { Replica } from '../../main/webapp/js/lseq.js';
import { deltaFromJson, deltaToJson } from '../../main/webapp/js/lseq-codec.js';
import { snapshotOf } from './snapshot-writer.mjs';

/**
 * The client's end of a connection: the part of the WebSocket API DocumentSession uses. Messages
 * arrive asynchronously (as on a real socket), in order.
 */
/** Access tokens: issued for a user, valid until they expire or are revoked. */
export class TestIssuer {
  /** How long new tokens live, in milliseconds. */
  life = 60_000;
  /** @type {Map<string, {userId: string, expiresAt: number, revoked: boolean}>} */
  #tokens = new Map();
  #count = 0;

  /** @param {string} userId @param {number} [life] @returns {string} */
  issue(userId, life = this.life) {
    const token = `token-${++this.#count}-${userId}`;
    this.#tokens.set(token, { userId, expiresAt: Date.now() + life, revoked: false });
    return token;
  }

  /** @param {string | undefined} token @returns {{userId: string, expiresAt: number} | null} null: not valid (now) */
  check(token) {
    const grant = token === undefined ? undefined : this.#tokens.get(token);
    return grant && !grant.revoked && grant.expiresAt > Date.now() ? grant : null;
  }

  /** Every token of `userId` issued until now stops working (the admin's "sign out everywhere"). @param {string} userId */
  revokeUser(userId) {
    for (const grant of this.#tokens.values()) if (grant.userId === userId) grant.revoked = true;
  }

  /** How many tokens were issued. */
  get issued() {
    return this.#count;
  }
}

class TestSocket {
  /** @type {((event?: any) => void) | null} */ onopen = null;
  /** @type {((event: {data: string}) => void) | null} */ onmessage = null;
  /** @type {((event: {code: number, reason: string}) => void) | null} */ onclose = null;
  /** @type {(() => void) | null} */ onerror = null;
  open = false;
  #server;
  /** @type {ServerSession} */ peer;

  /** @param {TestServer} server */
  constructor(server) {
    this.#server = server;
    this.peer = new ServerSession(server, this);
  }

  /** @param {string} text */
  send(text) {
    if (!this.open) return; // like a closing socket: dropped
    this.#server.sent.push(JSON.parse(text));
    later(() => this.open && this.peer.receive(text));
  }

  close() {
    this.#closed(1000, 'client closed', false);
  }

  /** @param {number} code @param {string} reason @param {boolean} tell whether onclose fires */
  #closed(code, reason, tell) {
    if (!this.open) return;
    this.open = false;
    this.#server.left(this.peer);
    if (tell) later(() => this.onclose?.({ code, reason }));
  }

  /** The server's side closes. @param {number} code @param {string} reason */
  closeFromServer(code, reason) {
    this.#closed(code, reason, true);
  }

  /** @param {string} text */
  deliver(text) {
    later(() => this.open && this.onmessage?.({ data: text }));
  }
}

/** The server's end of one connection. */
class ServerSession {
  site = 0;
  joined = false;
  /** @type {object | null} */ presence = null;
  /** @type {string | undefined} */ userId;
  /** @type {string | undefined} the token the server holds for this socket */ token;
  /** @type {number | undefined} */ expiresAt;
  /** @type {any[]} */ #timers = [];
  #server;
  #socket;

  /** @param {TestServer} server @param {TestSocket} socket */
  constructor(server, socket) {
    this.#server = server;
    this.#socket = socket;
  }

  /** @param {string} text */
  receive(text) {
    this.#server.receive(this, JSON.parse(text));
  }

  /** @param {object} frame */
  send(frame) {
    this.#server.deliver(this, this.#socket, frame);
  }

  /** @param {number} code @param {string} reason */
  close(code, reason) {
    this.#socket.closeFromServer(code, reason);
  }

  /**
   * Sends `frame` (an error), then closes with `code`, as the real server gives up on a
   * connection: the client gets the frame before the close. (send() then close() cut the line with
   * the frame still on its way, so the client never sees it.)
   * @param {object} frame @param {number} code @param {string} reason
   */
  closeWith(frame, code, reason) {
    this.send(frame);
    // After the frame's delivery, also when it waits in a batch (flushed in a microtask).
    queueMicrotask(() => later(() => this.close(code, reason)));
  }

  /**
   * The socket's token is now `token`: warn before it expires, close 4401 when it does.
   * @param {string} token @param {number} expiresAt
   */
  holdToken(token, expiresAt) {
    this.token = token;
    this.expiresAt = expiresAt;
    this.clearTimers();
    const warnIn = expiresAt - this.#server.warnBefore - Date.now();
    if (this.#server.warnBefore > 0) {
      this.#timers.push(unref(setTimeout(() => this.send({ type: 'token-expiring', expiresAt }), Math.max(0, warnIn))));
    }
    this.#timers.push(unref(setTimeout(() => this.refuseToken('token-expired'), Math.max(0, expiresAt - Date.now()))));
  }

  /** @param {string} code token-expired, invalid-token, token-revoked */
  refuseToken(code) {
    this.#server.closes4401++;
    this.send({ type: 'error', code, message: `${code} (test)` });
    this.close(4401, code);
  }

  clearTimers() {
    for (const timer of this.#timers.splice(0)) clearTimeout(timer);
  }
}

export class TestServer {
  /** The server's replica; its site is never used for inserts. */
  replica = new Replica(0);
  version = 0;
  /** @type {Array<{version: number, site: number, opId: string, ops: import('../../main/webapp/js/lseq-codec.js').OperationJson[]}>} */
  history = [];
  /** Identifiers by `site:counter`. @type {Map<string, string>} */
  #inserted = new Map();
  /** Versions by `site:opId`. @type {Map<string, number>} */
  #opVersions = new Map();
  nextSite = 100;
  /** @type {Set<ServerSession>} */
  sessions = new Set();
  /** Every frame clients sent, parsed. @type {any[]} */
  sent = [];
  /** Catch-up window: a join from a version older than this many deltas gets a snapshot. */
  catchUp = 1000;
  /** Whether the network is up: when down, connections fail. */
  online = true;
  /** Every frame to a client goes out this many times. */
  copies = 1;
  /** After this many more frames to clients (counting copies), every connection drops. */
  dropAfter = Infinity;
  /** What `joined` says of the server's idle timeout; 0: nothing. */
  idleSeconds = 0;
  /** Frames to clients go out wrapped in batches of up to this many. */
  batchSize = 1;
  /** @type {Array<{socket: TestSocket, frame: object}>} */
  #batch = [];

  /** Tokens, when the server authenticates: null, anyone may connect (the tests before users). @type {TestIssuer | null} */
  issuer = null;
  /** How long before a token expires the server sends `token-expiring`; 0: never. */
  warnBefore = 0;
  /** Roles by user id; a user not in it is the owner. @type {Map<string, 'owner' | 'editor' | 'viewer'>} */
  roles = new Map();
  /** Every connection attempt with a token: which one, and whether the handshake took it. @type {Array<{token: string | undefined, accepted: boolean}>} */
  handshakes = [];
  /** How many sockets the server closed with 4401. */
  closes4401 = 0;
  /** While true, deltas from clients are lost on the way (never processed, never acked). */
  deaf = false;
  /** The site whose next delta is taken but not acknowledged: its connection drops instead. @type {number | null} */
  dropBeforeAckTo = null;
  /** When each connection attempt came (Date.now()), in order, failed and refused ones too. @type {number[]} */
  attempts = [];

  /** The session's openSocket. @param {string} _url @param {string[]} [protocols] */
  connect = (_url, protocols = []) => {
    this.attempts.push(Date.now());
    const socket = new TestSocket(this);
    if (!this.online) {
      later(() => socket.onclose?.({ code: 1006, reason: 'network down' }));
      return socket;
    }
    if (this.issuer) {
      const bearer = protocols.find((protocol) => protocol.startsWith('folio.bearer.'));
      const token = bearer?.slice('folio.bearer.'.length);
      const grant = protocols.includes('folio.v1') ? this.issuer.check(token) : null;
      this.handshakes.push({ token, accepted: grant !== null });
      if (!grant) {
        // HTTP 401 before the upgrade: the browser sees only a connection that failed.
        later(() => socket.onclose?.({ code: 1006, reason: '' }));
        return socket;
      }
      socket.peer.userId = grant.userId;
      socket.peer.holdToken(/** @type {string} */ (token), grant.expiresAt);
    }
    socket.open = true;
    this.sessions.add(socket.peer);
    later(() => socket.onopen?.());
    return socket;
  };

  /** Drops every connection, as a network failure does. */
  dropAll() {
    for (const session of [...this.sessions]) session.close(1006, 'dropped');
  }

  /** Closes every connection with 4401, as at a token's expiry. @param {string} [code] */
  expireAll(code = 'token-expired') {
    for (const session of [...this.sessions]) session.refuseToken(code);
  }

  /** The role of a session's user. @param {ServerSession} session */
  roleOf(session) {
    return (session.userId !== undefined && this.roles.get(session.userId)) || 'owner';
  }

  /** The text every client must end with. */
  text() {
    return this.replica.text();
  }

  /** @param {ServerSession} session @param {any} frame */
  receive(session, frame) {
    switch (frame.type) {
      case 'join':
        return this.#join(session, frame);
      case 'delta':
        return this.#delta(session, frame);
      case 'presence':
        session.presence = frame;
        for (const other of this.sessions) {
          if (other !== session && other.joined) other.send({ ...frame, site: session.site });
        }
        return undefined;
      case 'ping':
        return session.send({ type: 'pong' });
      case 'auth': {
        const grant = this.issuer?.check(frame.token);
        if (!grant || grant.userId !== session.userId) return session.refuseToken('invalid-token');
        session.holdToken(frame.token, grant.expiresAt);
        return session.send({ type: 'authenticated', expiresAt: grant.expiresAt });
      }
      default:
        return session.send({ type: 'error', code: 'unknown-type', message: frame.type });
    }
  }

  /** @param {ServerSession} session */
  left(session) {
    session.clearTimers();
    this.sessions.delete(session);
    if (session.presence) {
      for (const other of this.sessions)
        if (other.joined) other.send({ type: 'presence', site: session.site, left: true });
    }
  }

  /** @param {ServerSession} session @param {TestSocket} socket @param {object} frame */
  deliver(session, socket, frame) {
    for (let copy = 0; copy < this.copies; copy++) {
      if (this.dropAfter <= 0) {
        this.dropAll();
        return;
      }
      this.dropAfter--;
      if (this.batchSize <= 1) {
        socket.deliver(JSON.stringify(frame));
      } else {
        this.#batch.push({ socket, frame });
        if (this.#batch.length === 1) queueMicrotask(() => this.#flushBatches());
      }
    }
    void session;
  }

  #flushBatches() {
    const bySocket = new Map();
    for (const { socket, frame } of this.#batch.splice(0)) {
      if (!bySocket.has(socket)) bySocket.set(socket, []);
      bySocket.get(socket).push(frame);
    }
    for (const [socket, frames] of bySocket) {
      for (let i = 0; i < frames.length; i += this.batchSize) {
        socket.deliver(JSON.stringify({ type: 'batch', frames: frames.slice(i, i + this.batchSize) }));
      }
    }
  }

  /** @param {ServerSession} session @param {{site?: number, version?: number}} frame */
  #join(session, frame) {
    if (frame.site !== undefined && (frame.site < 100 || frame.site >= this.nextSite)) {
      return session.send({ type: 'error', code: 'unknown-site', message: `site ${frame.site} was never given out` });
    }
    session.site = frame.site ?? this.nextSite++;
    session.joined = true;
    /** @type {Record<string, unknown>} what `joined` says besides the document and version */
    const extra = this.idleSeconds > 0 ? { idleSeconds: this.idleSeconds } : {};
    if (this.issuer) Object.assign(extra, { role: this.roleOf(session), tokenExpiresAt: session.expiresAt });
    const oldest = this.history.length > 0 ? this.history[0].version : this.version + 1;
    const canCatchUp = frame.version !== undefined && frame.version >= oldest - 1 && frame.version <= this.version;
    if (canCatchUp) {
      session.send({ type: 'joined', document: 'test', site: session.site, version: frame.version, ...extra });
      for (const delta of this.history) {
        if (delta.version > /** @type {number} */ (frame.version)) session.send({ type: 'delta', ...delta });
      }
    } else {
      session.send({
        type: 'joined',
        document: 'test',
        site: session.site,
        version: this.version,
        snapshot: snapshotOf(this.replica),
        ...extra,
      });
    }
    for (const other of this.sessions) {
      if (other !== session && other.presence) session.send({ ...other.presence, site: other.site });
    }
    return undefined;
  }

  /** @param {ServerSession} session @param {{opId: string, ops: unknown}} frame */
  #delta(session, frame) {
    if (this.deaf) return undefined;
    if (!session.joined)
      return session.send({ type: 'error', code: 'not-joined', message: 'join first', opId: frame.opId });
    if (this.issuer && this.roleOf(session) === 'viewer')
      return session.send({ type: 'error', code: 'read-only', message: 'a viewer cannot edit', opId: frame.opId });
    const key = `${session.site}:${frame.opId}`;
    const earlier = this.#opVersions.get(key);
    if (earlier !== undefined) return session.send({ type: 'ack', opId: frame.opId, version: earlier });
    let delta;
    try {
      delta = deltaFromJson({ ops: frame.ops });
      for (const op of delta.ops) {
        if (op.type === 'insert' && op.id[op.id.length - 2] !== session.site)
          throw new Error('insert names another site');
      }
    } catch (e) {
      return session.send({ type: 'error', code: 'invalid-delta', message: String(e), opId: frame.opId });
    }
    // As the real server: a (site, counter) names one identifier for ever.
    for (const op of delta.ops) {
      if (op.type !== 'insert') continue;
      const counterKey = `${op.id[op.id.length - 2]}:${op.id[op.id.length - 1]}`;
      const earlierId = this.#inserted.get(counterKey);
      if (earlierId !== undefined && earlierId !== op.id.join(',')) {
        return session.send({
          type: 'error',
          code: 'invalid-delta',
          message: `reused ${counterKey}`,
          opId: frame.opId,
        });
      }
    }
    for (const op of delta.ops) {
      if (op.type === 'insert')
        this.#inserted.set(`${op.id[op.id.length - 2]}:${op.id[op.id.length - 1]}`, op.id.join(','));
    }
    // As the real server: each site's inserts come in counter order, so an absent insert under a
    // counter already received was deleted, and every delete is forgotten once applied
    // (docs/lseq.md, "Forgetting deletes").
    const replica = this.replica;
    delta = {
      ops: delta.ops.filter(
        (op) =>
          op.type !== 'insert' ||
          replica.hasSeen(op.id) ||
          op.id[op.id.length - 1] > replica.highestCounter(op.id[op.id.length - 2]),
      ),
    };
    const changes = replica.apply(delta);
    replica.forgetDeletesBefore(replica.deleteMark());
    if (changes.length === 0) return session.send({ type: 'ack', opId: frame.opId, version: 0 });
    this.version++;
    const accepted = { version: this.version, site: session.site, opId: frame.opId, ops: deltaToJson(delta).ops };
    this.history.push(accepted);
    if (this.history.length > this.catchUp) this.history.shift();
    this.#opVersions.set(key, this.version);
    for (const other of this.sessions) {
      if (other === session && this.dropBeforeAckTo === session.site) {
        this.dropBeforeAckTo = null;
        other.close(1006, 'dropped before the ack');
      } else if (other === session) other.send({ type: 'ack', opId: frame.opId, version: this.version });
      else if (other.joined)
        other.send({ type: 'delta', version: accepted.version, site: accepted.site, ops: accepted.ops });
    }
    return undefined;
  }
}

/** Runs `task` after the current one, as a socket event would. @param {() => void} task */
function later(task) {
  setImmediate(task);
}

/** A timer that does not keep the test process alive. @param {any} timer */
function unref(timer) {
  timer?.unref?.();
  return timer;
}
