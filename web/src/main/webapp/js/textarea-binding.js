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
  /** The whole text changed during a composition; shown when it ends. */
  #resetPending = false;

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
      if (this.#resetPending) this.#reset();
      release?.();
    });
    session.addEventListener('change', (event) => this.#applyRemote(/** @type {CustomEvent} */ (event).detail.changes));
    session.addEventListener('reset', () => {
      if (this.#composing)
        this.#resetPending = true; // never change the field under an input method
      else this.#reset();
    });
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
    // After a reset during a composition the session's text is newer than #shown: keep the edit
    // inside it (#reset follows and shows the session's text).
    const index = Math.min(change.index, this.#session.length);
    const removed = Math.min(change.removed, this.#session.length - index);
    try {
      this.#session.edit(index, removed, change.inserted);
    } catch (e) {
      console.warn('an edit could not be made; showing the document as it is', e);
      this.#reset();
    }
  }

  /** @param {TextChange[]} changes */
  #applyRemote(changes) {
    const field = this.#textarea;
    const direction = field.selectionDirection; // setRangeText makes every selection forward
    let plain = !hasSurrogates(field.value);
    for (const run of runs(changes)) {
      const value = field.value;
      const start = plain ? run.index : utf16Offset(value, run.index);
      if (run.text !== null) {
        const text = fieldForm(run.text);
        field.setRangeText(text, start, start, 'preserve');
        plain &&= !hasSurrogates(text);
      } else {
        const end = plain ? start + run.count : utf16Offset(value, run.index + run.count);
        field.setRangeText('', start, end, 'preserve');
      }
    }
    if (direction === 'backward') field.setSelectionRange(field.selectionStart, field.selectionEnd, 'backward');
    this.#shown = field.value;
  }

  /**
   * The whole text changed (loaded, or a snapshot join): show it as one replaced range, so that
   * the caret stays with the text around it.
   */
  #reset() {
    this.#resetPending = false;
    const field = this.#textarea;
    const text = fieldForm(this.#session.text);
    const change = diffText(field.value, text);
    if (change) {
      const direction = field.selectionDirection;
      const start = utf16Offset(field.value, change.index);
      const end = utf16Offset(field.value, change.index + change.removed);
      field.setRangeText(change.inserted, start, end, 'preserve');
      if (direction === 'backward') field.setSelectionRange(field.selectionStart, field.selectionEnd, 'backward');
    }
    this.#shown = field.value;
  }
}

/**
 * The text as the field holds it. A textarea turns a carriage return into a line feed (and CRLF
 * into one line feed), which would put every later index off by one; the document may hold them
 * (another client sent one), so the field shows each as ␍ instead, one for one.
 * @param {string} text
 */
function fieldForm(text) {
  return text.includes('\r') ? text.replaceAll('\r', '\u240d') : text;
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
    } else if (last && last.text === null && index === last.index - 1) {
      last.index = index; // deleting backwards
      last.count++;
    } else {
      out.push({ index, count: 1, text: null });
    }
  }
  return out;
}
