// What both benchmark pages share: loading the trace, waiting for a quiet page between samples,
// timing keystrokes from `keydown` to the end of `input` handling, long tasks, and the page's
// side of the runner's calls. Everything here runs in the browser; typing-bench.mjs drives it.

/**
 * @typedef {{input: number, layout: number, browser: number, fieldEdit: number, editor: number, queued: number, type: string}} LocalSample
 *   milliseconds from keydown (queued: from the event's timestamp to keydown)
 */

/** The trace, as the runner serves it (decompressed). */
export async function loadTrace() {
  const response = await fetch('/trace.json');
  if (!response.ok) throw new Error(`trace: HTTP ${response.status}`);
  const trace = await response.json();
  const ascii = (/** @type {string} */ s) => /^[\x00-\x7f]*$/.test(s);
  // Code point positions (the trace's) equal UTF-16 offsets (Y.Text's, the textarea's) only then.
  if (!ascii(trace.startContent) || !trace.txns.every((t) => t.patches.every((p) => ascii(p[2])))) {
    throw new Error('the benchmark assumes an ASCII trace (code points = UTF-16 offsets)');
  }
  return trace;
}

/** Resolves after the next frame has been produced (rAF, then a task after the paint). */
export function nextFrame() {
  return new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
}

/**
 * Times keystrokes on `textarea`: from a capture `keydown` listener on window (the first code
 * that sees the key) to the end of an `input` listener added after the editor's binding (so the
 * binding's handling, and the microtasks it queued, are done), then to the end of a forced layout
 * (reading scrollHeight). Capture `beforeinput` and `input` listeners on window split the time
 * into the browser's part (keydown to beforeinput: keydown and keypress dispatch; beforeinput to
 * input: the browser changing the field) and the editor's (the `input` listeners). Call after the
 * binding was created.
 * @param {HTMLTextAreaElement} textarea
 */
export function timeKeystrokes(textarea) {
  /** @type {LocalSample[]} */
  const samples = [];
  let start = -1;
  let before = -1;
  let edited = -1;
  let queued = 0;
  let keys = 0;
  addEventListener(
    'keydown',
    (event) => {
      start = performance.now();
      queued = start - event.timeStamp; // dispatch and queueing before any handler ran
      keys++;
    },
    true,
  );
  addEventListener('beforeinput', () => (before = performance.now()), true);
  addEventListener('input', () => (edited = performance.now()), true);
  textarea.addEventListener('input', (event) => {
    const input = performance.now();
    void textarea.scrollHeight; // forces style and layout of the changed field
    const layout = performance.now();
    if (start < 0) return;
    samples.push({
      input: input - start,
      layout: layout - start,
      browser: edited - start,
      fieldEdit: edited - before,
      editor: input - edited,
      queued,
      type: /** @type {InputEvent} */ (event).inputType,
    });
    start = -1;
  });
  return {
    samples,
    get keys() {
      return keys;
    },
  };
}

/** Long tasks (> 50 ms on the main thread) since the page loaded. */
export function watchLongTasks() {
  /** @type {Array<{start: number, duration: number}>} */
  const tasks = [];
  try {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) tasks.push({ start: entry.startTime, duration: entry.duration });
    }).observe({ type: 'longtask', buffered: true });
  } catch {
    // not supported: the list stays empty
  }
  /** @param {number} from @param {number} to */
  return (from, to) => {
    const within = tasks.filter((t) => t.start >= from && t.start < to).map((t) => t.duration);
    return {
      count: within.length,
      maxMs: within.length ? Math.max(...within) : 0,
      totalMs: within.reduce((a, b) => a + b, 0),
    };
  };
}

/** Milliseconds, to a microsecond. @param {number} ms */
export const round = (ms) => Math.round(ms * 1000) / 1000;

/** Median of a few timings. @param {number[]} values */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/**
 * Waits for a drawn frame, then puts the caret where the next key goes: for Backspace after a
 * character (1..length), else anywhere (0..length); the same places for every editor.
 * @param {HTMLTextAreaElement} textarea @param {number} fraction in [0, 1) @param {boolean} backspace
 * @returns {Promise<number>} the caret's offset
 */
export async function placeCaret(textarea, fraction, backspace) {
  await nextFrame();
  const length = textarea.value.length;
  const at = backspace ? Math.min(length, 1 + Math.floor(fraction * length)) : Math.floor(fraction * (length + 1));
  textarea.focus();
  textarea.setSelectionRange(at, at);
  await nextFrame();
  return at;
}

/**
 * The keystroke samples taken since sample `from`.
 * @param {ReturnType<typeof timeKeystrokes>} keys @param {number} from
 */
export function samplesSince(keys, from) {
  return { samples: keys.samples.slice(from), keydowns: keys.keys, total: keys.samples.length };
}
