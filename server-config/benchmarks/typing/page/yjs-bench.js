// Yjs's side: a Y.Doc with a Y.Text bound to a <textarea> by the same technique as Folio's
// TextareaBinding (input → diffText from Folio's text-diff.js → Y.Text delete/insert; remote
// events → setRangeText(…, 'preserve')), so that the difference measured is the CRDT and the
// protocol work. Messages are framed as y-websocket frames them (a sync-protocol "update" message:
// varUint 0, varUint 2, varUint8Array update), through a fake socket; the other person is a second
// Y.Doc in the page.

import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { diffText } from '/folio/text-diff.js';
import { loadTrace, nextFrame, round, timeKeystrokes, watchLongTasks, placeCaret, samplesSince } from './harness.js';

const MESSAGE_SYNC = 0;
const SYNC_UPDATE = 2;

const longTasks = watchLongTasks();
const textarea = /** @type {HTMLTextAreaElement} */ (document.getElementById('text'));

/** @param {Uint8Array} update @returns {Uint8Array} y-websocket's frame for an update */
function syncMessage(update) {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_SYNC);
  encoding.writeVarUint(encoder, SYNC_UPDATE);
  encoding.writeVarUint8Array(encoder, update);
  return encoding.toUint8Array(encoder);
}

/** @param {Uint8Array} message @returns {Uint8Array} the update in a sync message */
function readSyncUpdate(message) {
  const decoder = decoding.createDecoder(message);
  if (decoding.readVarUint(decoder) !== MESSAGE_SYNC || decoding.readVarUint(decoder) !== SYNC_UPDATE) {
    throw new Error('not a sync update message');
  }
  return decoding.readVarUint8Array(decoder);
}

/**
 * The binding: what TextareaBinding does, on a Y.Text (indexes are UTF-16 offsets; the trace and
 * the keys typed are ASCII, where they equal diffText's code point indexes).
 */
class YTextareaBinding {
  /** @param {HTMLTextAreaElement} field @param {Y.Text} ytext */
  constructor(field, ytext) {
    this.field = field;
    this.ytext = ytext;
    field.value = ytext.toString();
    this.shown = field.value;
    field.addEventListener('input', () => {
      const value = field.value;
      const change = diffText(this.shown, value, field.selectionEnd);
      if (!change) return;
      this.shown = value;
      /** @type {Y.Doc} */ (ytext.doc).transact(() => {
        if (change.removed > 0) ytext.delete(change.index, change.removed);
        if (change.inserted) ytext.insert(change.index, change.inserted);
      }, this);
    });
    ytext.observe((event, transaction) => {
      if (transaction.origin === this) return;
      let index = 0;
      for (const op of event.delta) {
        if (op.retain) index += op.retain;
        else if (typeof op.insert === 'string') {
          field.setRangeText(op.insert, index, index, 'preserve');
          index += op.insert.length;
        } else if (op.delete) field.setRangeText('', index, index + op.delete, 'preserve');
      }
      this.shown = field.value;
    });
  }
}

/** The provider's socket and the server behind it: every update sent is applied to the other doc later. */
const socket = {
  sent: 0,
  /** @type {Y.Doc | null} */
  other: null,
  /** @param {Uint8Array} message */
  send(message) {
    this.sent++;
    setTimeout(() => this.other && Y.applyUpdate(this.other, readSyncUpdate(message), 'server'), 0);
  },
  /** @type {(message: Uint8Array) => void} */
  onmessage: () => {},
};

/** @type {Uint8Array | null} the replayed document, as Y.encodeStateAsUpdate gives it */
let stored = null;
/** @type {Y.Doc} */
let doc;
/** @type {Y.Text} */
let ytext;
/** @type {ReturnType<typeof timeKeystrokes>} */
let keys;
/** @type {Y.Doc} */
let other;
/** @type {Uint8Array | null} the other doc's last own update */
let otherUpdate = null;
/** @type {((times: {handled: number, layout: number}) => void) | null} */
let changed = null;
let applied = -1;

// @ts-ignore
window.bench = {
  editor: 'yjs',

  /** Replays the trace into a Y.Doc, one transact per trace txn, as trace-bench.mjs does. */
  async prepare() {
    let t = performance.now();
    const trace = await loadTrace();
    const fetchMs = performance.now() - t;
    t = performance.now();
    const builder = new Y.Doc();
    const text = builder.getText('text');
    let operations = 0;
    if (trace.startContent) builder.transact(() => text.insert(0, trace.startContent));
    for (const txn of trace.txns) {
      builder.transact(() => {
        for (const [position, removed, inserted] of txn.patches) {
          if (removed) text.delete(position, removed);
          if (inserted) text.insert(position, inserted);
          operations += removed + inserted.length;
        }
      });
    }
    const replayMs = performance.now() - t;
    if (text.toString() !== trace.endContent) throw new Error('the replayed text differs from endContent');
    stored = Y.encodeStateAsUpdate(builder);
    // The same load without the textarea, for comparison with Folio's Replica.fromState.
    const times = [];
    for (let i = 0; i < 3; i++) {
      t = performance.now();
      Y.applyUpdate(new Y.Doc(), stored);
      times.push(performance.now() - t);
    }
    return {
      length: text.length,
      operations,
      txns: trace.txns.length,
      encodedBytes: stored.length,
      fetchMs: round(fetchMs),
      replayMs: round(replayMs),
      fromStateMs: round(times.sort((a, b) => a - b)[1]),
      crossOriginIsolated,
    };
  },

  /**
   * Opens the document: a Y.Doc loaded from the encoded state (what a provider's sync step 2 or
   * y-indexeddb gives it), bound to the textarea; plus the provider's update handler.
   */
  async load() {
    const t0 = performance.now();
    doc = new Y.Doc();
    ytext = doc.getText('text');
    Y.applyUpdate(doc, /** @type {Uint8Array} */ (stored), socket);
    // Before the binding's: the update is integrated, the field is not changed yet.
    ytext.observe(() => (applied = performance.now()));
    new YTextareaBinding(textarea, ytext);
    const t1 = performance.now();
    void textarea.scrollHeight;
    const t2 = performance.now();
    // y-websocket's _updateHandler: every update not from the socket is framed and sent.
    doc.on('update', (/** @type {Uint8Array} */ update, /** @type {unknown} */ origin) => {
      if (origin !== socket) socket.send(syncMessage(update));
    });
    // y-websocket's message handler: a sync update is applied with the provider as origin.
    socket.onmessage = (message) => Y.applyUpdate(doc, readSyncUpdate(message), socket);
    keys = timeKeystrokes(textarea);
    ytext.observe(() => {
      // after the binding's observer: the field has been updated
      const handled = performance.now();
      void textarea.scrollHeight;
      const layout = performance.now();
      changed?.({ handled, layout });
      changed = null;
    });
    if (textarea.value !== ytext.toString()) throw new Error('the field does not show the document');
    return { loadMs: round(t1 - t0), loadLayoutMs: round(t2 - t0), onlineMs: round(t1 - t0) };
  },

  makeOther() {
    other = new Y.Doc();
    Y.applyUpdate(other, /** @type {Uint8Array} */ (stored), 'server');
    other.on('update', (/** @type {Uint8Array} */ update, /** @type {unknown} */ origin) => {
      if (origin !== 'server') otherUpdate = update;
    });
    socket.other = other;
    stored = null;
  },

  /** @param {number} fraction @param {boolean} backspace */
  async beforeKey(fraction, backspace) {
    return placeCaret(textarea, fraction, backspace);
  },

  /** @param {number} from */
  localSamples(from) {
    return samplesSince(keys, from);
  },

  /**
   * The other person's edits: each made on the other doc (its update captured), framed as
   * y-websocket frames it, then handed to the socket's onmessage; timed to the end of an observer
   * added after the binding's.
   * @param {Array<{fraction: number, kind: 'insert' | 'delete', text: string}>} ops
   */
  async remote(ops) {
    const samples = [];
    const otherText = other.getText('text');
    for (const op of ops) {
      await nextFrame();
      const length = otherText.length;
      otherUpdate = null;
      if (op.kind === 'insert') otherText.insert(Math.floor(op.fraction * (length + 1)), op.text);
      else otherText.delete(Math.floor(op.fraction * length), 1);
      const message = syncMessage(/** @type {Uint8Array} */ (otherUpdate));
      const done = new Promise((resolve) => (changed = resolve));
      const start = performance.now();
      socket.onmessage(message);
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

  async check() {
    await nextFrame();
    await nextFrame();
    const text = ytext.toString();
    return {
      converged: textarea.value === text && other.getText('text').toString() === text,
      length: text.length,
      sent: socket.sent,
    };
  },

  now: () => performance.now(),
  longTasks,
};
