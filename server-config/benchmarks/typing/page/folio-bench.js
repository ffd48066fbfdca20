// Folio's side: the editor page's real modules (DocumentSession on IndexedDbEditStore, with
// TextareaBinding on a <textarea>), served from web/src/main/webapp/js/ under /folio/. Only the
// server is fake: an object with the WebSocket's send/close/onopen/onmessage/onclose that answers
// as docs/protocol.md says (joined for a catch-up join, an ack with the next version for every
// delta) and plays the other person, whose deltas are delivered as `delta` frames.

import { DocumentSession } from '/folio/document-session.js';
import { IndexedDbEditStore } from '/folio/edit-store.js';
import { deltaFromJson, deltaToJson } from '/folio/lseq-codec.js';
import { Replica } from '/folio/lseq.js';
import { TextareaBinding } from '/folio/textarea-binding.js';
import {
  loadTrace,
  median,
  nextFrame,
  round,
  timeKeystrokes,
  watchLongTasks,
  placeCaret,
  samplesSince,
} from './harness.js';

const DOC = '5f0c3a1e-8b7d-4c2a-9e61-0d4b7a2c9f13';
/** The trace's writer: every identifier of the loaded document carries this site. */
const AUTHOR = 1;
/** This browser's site (the joined frame confirms it). */
const SITE = 2;
/** The other person, whose deltas arrive through the fake socket. */
const OTHER = 3;

const longTasks = watchLongTasks();
const textarea = /** @type {HTMLTextAreaElement} */ (document.getElementById('text'));

/** The server, in the page: what a socket of DocumentSession's needs, and nothing more. */
class FakeServer {
  version = 0;
  /** @type {any} */
  socket = null;
  /** The other person's replica; every delta this browser sends is applied to it. @type {Replica | null} */
  other = null;
  received = { join: 0, delta: 0, ping: 0, presence: 0 };

  open = () => {
    const socket = {
      send: (/** @type {string} */ data) => this.#receive(String(data)),
      close: () => {},
      onopen: /** @type {any} */ (null),
      onmessage: /** @type {any} */ (null),
      onclose: /** @type {any} */ (null),
      onerror: /** @type {any} */ (null),
    };
    this.socket = socket;
    setTimeout(() => socket.onopen?.({}), 0);
    return /** @type {any} */ (socket);
  };

  /** @param {object | string} frame */
  deliver(frame) {
    this.socket?.onmessage?.({ data: typeof frame === 'string' ? frame : JSON.stringify(frame) });
  }

  /** Answers a frame of the session's in a later task, as a network would. @param {string} data */
  #receive(data) {
    const frame = JSON.parse(data);
    this.received[/** @type {keyof FakeServer['received']} */ (frame.type)]++;
    if (frame.type === 'join') {
      setTimeout(() => this.deliver({ type: 'joined', site: SITE, version: this.version }), 0);
    } else if (frame.type === 'delta') {
      setTimeout(() => {
        this.other?.apply(deltaFromJson(frame));
        this.deliver({ type: 'ack', opId: frame.opId, version: ++this.version });
      }, 0);
    } else if (frame.type === 'ping') {
      setTimeout(() => this.deliver({ type: 'pong' }), 0);
    }
  }
}

const server = new FakeServer();
/** The final state, packed into typed arrays (outside the JS heap) until the other replica is made. */
let packed = /** @type {import('/folio/lseq.js').PackedState | null} */ (null);
/** @type {DocumentSession} */
let session;
/** @type {ReturnType<typeof timeKeystrokes>} */
let keys;
/** @type {Replica} */
let other;
/** @type {((times: {handled: number, layout: number}) => void) | null} */
let changed = null;
let applied = -1;

async function locksFree() {
  for (let i = 0; i < 100; i++) {
    const { held = [] } = await navigator.locks.query();
    if (held.length === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('the seeding store still holds its Web Lock');
}

// @ts-ignore
window.bench = {
  editor: 'folio',

  /** Replays the trace into a Replica and stores the result as this browser's copy (IndexedDB). */
  async prepare() {
    let t = performance.now();
    const trace = await loadTrace();
    const fetchMs = performance.now() - t;
    t = performance.now();
    const builder = new Replica(AUTHOR);
    let operations = 0;
    for (const txn of trace.txns) {
      for (const [position, removed, inserted] of txn.patches) {
        if (removed) builder.delete(position, removed);
        if (inserted) builder.insert(position, inserted);
        operations += removed + inserted.length;
      }
    }
    const replayMs = performance.now() - t;
    if (builder.text() !== trace.endContent) throw new Error('the replayed text differs from endContent');
    packed = builder.packedState();
    let levels = 0;
    for (const depth of packed.levels) levels += depth;
    // What start() does with the stored state, without the storage: for comparison with Y.applyUpdate.
    const fromStateTimes = [];
    for (let i = 0; i < 3; i++) {
      t = performance.now();
      Replica.fromPackedState(SITE, {}, packed);
      fromStateTimes.push(performance.now() - t);
    }
    t = performance.now();
    const store = new IndexedDbEditStore();
    await store.adopt(DOC, SITE);
    await store.saveReplica(DOC, SITE, 0, packed);
    store.release();
    await locksFree();
    const seedMs = performance.now() - t;
    // The storage part of start(): IndexedDB read (claim, then let go again).
    t = performance.now();
    const reader = new IndexedDbEditStore();
    const record = await reader.claim(DOC);
    const claimMs = performance.now() - t;
    reader.release();
    await locksFree();
    if (record?.state?.levels.length !== packed.levels.length) throw new Error('the stored copy cannot be read back');
    return {
      length: packed.levels.length,
      operations,
      txns: trace.txns.length,
      meanLevels: round(levels / packed.levels.length),
      rememberedDeletes: packed.deleted.length / 2,
      fetchMs: round(fetchMs),
      replayMs: round(replayMs),
      fromStateMs: round(median(fromStateTimes)),
      seedMs: round(seedMs),
      claimMs: round(claimMs),
      crossOriginIsolated,
    };
  },

  /** Opens the document as the editor page does: session, binding, start(), until online. */
  async load() {
    session = new DocumentSession({
      documentId: DOC,
      url: `ws://127.0.0.1/ws/documents/${DOC}`,
      store: new IndexedDbEditStore(),
      openSocket: server.open,
      // Only for a diagnostic run (--save-delay): the default is the session's own.
      ...(new URLSearchParams(location.search).has('saveDelay')
        ? { saveDelay: Number(new URLSearchParams(location.search).get('saveDelay')) }
        : {}),
    });
    // Before the binding's: the session has applied the delta, the field is not changed yet.
    session.addEventListener('change', () => (applied = performance.now()));
    new TextareaBinding(textarea, session);
    keys = timeKeystrokes(textarea);
    session.addEventListener('change', () => {
      const handled = performance.now();
      void textarea.scrollHeight;
      const layout = performance.now();
      changed?.({ handled, layout });
      changed = null;
    });
    const online = new Promise((resolve) => {
      const check = () => {
        if (session.state !== 'online') return;
        session.removeEventListener('status', check);
        resolve(undefined);
      };
      session.addEventListener('status', check);
    });
    const t0 = performance.now();
    await session.start(); // claims the stored copy, builds the replica, shows the text
    const t1 = performance.now();
    void textarea.scrollHeight;
    const t2 = performance.now();
    await online;
    const t3 = performance.now();
    if (session.site !== SITE || textarea.value !== session.text || session.length !== packed?.codePoints.length) {
      throw new Error(`the session did not load the stored copy (site ${session.site}, ${session.length} characters)`);
    }
    return { loadMs: round(t1 - t0), loadLayoutMs: round(t2 - t0), onlineMs: round(t3 - t0) };
  },

  /** The other person's replica: the same state under another site. */
  makeOther() {
    other = Replica.fromPackedState(OTHER, {}, /** @type {any} */ (packed));
    server.other = other;
    packed = null;
  },

  /**
   * Waits until the session is quiet and a frame was drawn, then puts the caret where the next
   * key goes: for Backspace after a character (1..length), else anywhere (0..length).
   * @param {number} fraction in [0, 1) @param {boolean} backspace
   */
  async beforeKey(fraction, backspace) {
    await session.quiet();
    return placeCaret(textarea, fraction, backspace);
  },

  /** @param {number} from */
  localSamples(from) {
    return samplesSince(keys, from);
  },

  /**
   * The other person's edits, one at a time: each made on their replica, encoded as the server
   * would forward it, then handed to the session's socket.onmessage; timed to the end of a `change`
   * listener added after the binding's (the frame goes through the session's promise chain).
   * @param {Array<{fraction: number, kind: 'insert' | 'delete', text: string}>} ops
   */
  async remote(ops) {
    const samples = [];
    for (const op of ops) {
      await session.quiet();
      await nextFrame();
      const length = other.length;
      const delta =
        op.kind === 'insert'
          ? other.insert(Math.floor(op.fraction * (length + 1)), op.text)
          : other.delete(Math.floor(op.fraction * length), 1);
      const frame = JSON.stringify({
        type: 'delta',
        version: ++server.version,
        site: OTHER,
        ops: deltaToJson(delta).ops,
      });
      const done = new Promise((resolve) => (changed = resolve));
      const start = performance.now();
      server.socket.onmessage({ data: frame });
      const { handled, layout } = /** @type {{handled: number, layout: number}} */ (await done);
      samples.push({
        handled: handled - start,
        layout: layout - start,
        crdt: applied - start,
        field: handled - applied,
        kind: op.kind,
      });
    }
    return samples;
  },

  /**
   * What the periodic save (2 s after a change, DocumentSession's saveDelay) costs on this
   * document: saveNow() up to its first await (replica.packedState()), and to the IndexedDB
   * commit; and packedState() on its own.
   */
  async saveCost() {
    const sync = [];
    const total = [];
    const pack = [];
    for (let i = 0; i < 5; i++) {
      await nextFrame();
      const t0 = performance.now();
      const saved = session.saveNow();
      const t1 = performance.now();
      await saved;
      const t2 = performance.now();
      sync.push(t1 - t0);
      total.push(t2 - t0);
      await nextFrame();
      const t3 = performance.now();
      other.packedState();
      pack.push(performance.now() - t3);
    }
    return { stateMs: round(median(sync)), toCommitMs: round(median(total)), stateAndPackMs: round(median(pack)) };
  },

  /** The copies agree: field, session, and the other person's replica. */
  async check() {
    await session.quiet();
    await nextFrame();
    const text = session.text;
    return {
      converged: textarea.value === text && other.text() === text,
      length: session.length,
      pending: session.pending,
      version: session.version,
      serverVersion: server.version,
      received: server.received,
    };
  },

  now: () => performance.now(),
  longTasks,
};
