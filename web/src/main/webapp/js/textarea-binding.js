// Binds a <textarea> to a DocumentSession. Every change the person makes (typing, paste, cut,
// drag and drop, the browser's undo, an input method's composition) arrives as an `input` event
// and becomes one edit: the difference between the text before and after. Remote edits are put
// in with setRangeText(…, 'preserve'), which moves the person's caret and selection with the
// text around them instead of resetting them.

import { codePointCount, diffText, hasSurrogates, utf16Offset } from './text-diff.js';

/** @typedef {import('./lseq.js').TextChange} TextChange */

export class TextareaBinding {
  #textarea;
  #session;
  /** The text the field is known to show: the session's text, always, between events. */
  #shown = '';
  /** @type {(() => void) | null} releases the session's remote edits after a composition */
  #composing = null;

  /**
   * @param {HTMLTextAreaElement} textarea
   * @param {import('./document-session.js').DocumentSession} session
   */
  constructor(textarea, session) {
    this.#textarea = textarea;
    this.#session = session;
    textarea.addEventListener('input', (event) => {
      if (!(/** @type {InputEvent} */ (event).isComposing) && !this.#composing) this.#commit();
    });
    textarea.addEventListener('compositionstart', () => {
      this.#composing ??= session.hold(); // the field must not change under the input method
    });
    textarea.addEventListener('compositionend', () => {
      const release = this.#composing;
      this.#composing = null;
      this.#commit();
      release?.();
    });
    session.addEventListener('change', (event) => this.#applyRemote(/** @type {CustomEvent} */ (event).detail.changes));
    session.addEventListener('reset', () => this.#reset());
    this.#reset();
  }

  /** The person's selection in code points: anchor (where it started) and head (where the caret is). */
  caret() {
    const { selectionStart, selectionEnd, selectionDirection, value } = this.#textarea;
    const start = codePointCount(value, 0, selectionStart);
    const end = start + codePointCount(value, selectionStart, selectionEnd);
    return selectionDirection === 'backward' ? { anchor: end, head: start } : { anchor: start, head: end };
  }

  /** The person changed the text: send the difference. */
  #commit() {
    const value = this.#textarea.value;
    const change = diffText(this.#shown, value, this.#textarea.selectionEnd);
    if (!change) return;
    if (!this.#session.editable) {
      this.#reset(); // not editable (yet): put the session's text back
      return;
    }
    this.#shown = value;
    this.#session.edit(change.index, change.removed, change.inserted);
  }

  /** @param {TextChange[]} changes */
  #applyRemote(changes) {
    const field = this.#textarea;
    const plain = !hasSurrogates(field.value);
    for (const run of runs(changes)) {
      const value = field.value;
      const start = plain ? run.index : utf16Offset(value, run.index);
      if (run.text !== null) {
        field.setRangeText(run.text, start, start, 'preserve');
      } else {
        const end = plain ? start + run.count : utf16Offset(value, run.index + run.count);
        field.setRangeText('', start, end, 'preserve');
      }
    }
    this.#shown = field.value;
  }

  /** The whole text changed: show it, keeping the caret at the same index as far as it goes. */
  #reset() {
    const field = this.#textarea;
    const { anchor, head } = this.caret();
    const text = this.#session.text;
    if (field.value !== text) field.value = text;
    this.#shown = text;
    const at = (/** @type {number} */ index) => utf16Offset(text, index);
    const [start, end] = anchor <= head ? [anchor, head] : [head, anchor];
    field.setSelectionRange(at(start), at(end), anchor <= head ? 'forward' : 'backward');
  }
}

/**
 * Consecutive one-character changes as runs: a paste of 1,000 characters is one insert, not
 * 1,000 (lseq.js reports an insert run at rising indexes, a delete run at one index).
 * @param {TextChange[]} changes
 * @returns {Array<{index: number, count: number, text: string | null}>} text null: a delete
 */
export function runs(changes) {
  /** @type {Array<{index: number, count: number, text: string | null}>} */
  const out = [];
  for (const { index, codePoint } of changes) {
    const last = out[out.length - 1];
    if (codePoint >= 0) {
      const character = String.fromCodePoint(codePoint);
      if (last && last.text !== null && index === last.index + last.count) {
        last.text += character;
        last.count++;
      } else {
        out.push({ index, count: 1, text: character });
      }
    } else if (last && last.text === null && index === last.index) {
      last.count++;
    } else {
      out.push({ index, count: 1, text: null });
    }
  }
  return out;
}
