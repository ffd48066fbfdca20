// The floor: the same <textarea>, with the same 100,000 characters and the same timing, but no
// editor behind it. Keystrokes measure what the browser itself does to change the field; "remote"
// edits are setRangeText(…, 'preserve') calls straight on the field, which is what both bindings
// end with.

import { loadTrace, nextFrame, round, timeKeystrokes, watchLongTasks, placeCaret, samplesSince } from './harness.js';

const longTasks = watchLongTasks();
const textarea = /** @type {HTMLTextAreaElement} */ (document.getElementById('text'));
let text = '';
/** @type {ReturnType<typeof timeKeystrokes>} */
let keys;

// @ts-ignore
window.bench = {
  editor: 'textarea',

  async prepare() {
    const t = performance.now();
    const trace = await loadTrace();
    text = trace.endContent;
    return {
      length: text.length,
      fetchMs: round(performance.now() - t),
      replayMs: 0,
      fromStateMs: 0,
      crossOriginIsolated,
    };
  },

  async load() {
    const t0 = performance.now();
    textarea.value = text;
    const t1 = performance.now();
    void textarea.scrollHeight;
    const t2 = performance.now();
    keys = timeKeystrokes(textarea);
    return { loadMs: round(t1 - t0), loadLayoutMs: round(t2 - t0), onlineMs: round(t1 - t0) };
  },

  makeOther() {},

  /** @param {number} fraction @param {boolean} backspace */
  async beforeKey(fraction, backspace) {
    return placeCaret(textarea, fraction, backspace);
  },

  /** @param {number} from */
  localSamples(from) {
    return samplesSince(keys, from);
  },

  /** @param {Array<{fraction: number, kind: 'insert' | 'delete', text: string}>} ops */
  async remote(ops) {
    const samples = [];
    for (const op of ops) {
      await nextFrame();
      const length = textarea.value.length;
      const start = performance.now();
      if (op.kind === 'insert') {
        const at = Math.floor(op.fraction * (length + 1));
        textarea.setRangeText(op.text, at, at, 'preserve');
      } else {
        const at = Math.floor(op.fraction * length);
        textarea.setRangeText('', at, at + 1, 'preserve');
      }
      const handled = performance.now();
      void textarea.scrollHeight;
      const layout = performance.now();
      samples.push({
        handled: handled - start,
        layout: layout - start,
        crdt: 0,
        field: handled - start,
        kind: op.kind,
      });
    }
    return samples;
  },

  async check() {
    return { converged: true, length: textarea.value.length };
  },

  now: () => performance.now(),
  longTasks,
};
