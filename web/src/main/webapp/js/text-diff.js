// What one edit of a text field changed. The browser tells us only the new value (typing, paste,
// cut, drag and drop, undo, IME all end in an `input` event), so the edit is found by comparing it
// with the value before: one replaced range, which is what a single user action produces.
//
// Positions on the page are UTF-16 offsets; LSEQ counts code points. Both are handled here so the
// rest of the editor never splits a surrogate pair.

/**
 * @typedef {object} TextEdit
 * @property {number} index first changed position, in code points of the old text
 * @property {number} removed number of code points removed there
 * @property {string} inserted the text put in their place
 */

/**
 * The single replaced range that turns `before` into `after`.
 * @param {string} before
 * @param {string} after
 * @param {number} [caret] the caret (UTF-16 offset in `after`) after the edit, if known: the change
 *     ends at or before it, so typing "a" into "aa" is placed where the person typed it
 * @returns {TextEdit | null} null when the texts are equal
 */
export function diffText(before, after, caret = after.length) {
  if (before === after) return null;
  let [prefix, suffix] = editAtCaret(before, after, caret) ?? scan(before, after, caret);
  // Never cut a surrogate pair: move the cut to the pair's outside.
  if (prefix > 0 && isHighSurrogate(after.charCodeAt(prefix - 1))) prefix--;
  if (suffix > 0 && isLowSurrogate(after.charCodeAt(after.length - suffix))) suffix--;
  const plain = !hasSurrogates(before); // the common case: offsets are code point indexes
  return {
    index: plain ? prefix : codePointCount(before, 0, prefix),
    removed: plain ? before.length - suffix - prefix : codePointCount(before, prefix, before.length - suffix),
    inserted: after.slice(prefix, after.length - suffix),
  };
}

/**
 * The common case without a loop: one insert that ends at the caret (typing, a paste) or one delete
 * at it (Backspace, Delete), everything before and after it unchanged. Two string comparisons check
 * that, at memory speed, where scan() compares a 100,000-character text one character at a time in
 * JavaScript (about half a millisecond per keystroke). When they hold, the result is scan()'s: the
 * suffix it stops at is the caret's, and the prefix the longest that is left.
 * @param {string} before @param {string} after @param {number} caret
 * @returns {[number, number] | null} the unchanged prefix and suffix (UTF-16 units), or null
 */
function editAtCaret(before, after, caret) {
  const grown = after.length - before.length;
  const tail = after.length - caret;
  const start = grown > 0 ? caret - grown : caret;
  if (grown === 0 || !Number.isInteger(caret) || start < 0 || tail < 0) return null;
  if (before.slice(0, start) !== after.slice(0, start)) return null;
  if (before.slice(before.length - tail) !== after.slice(caret)) return null;
  return [start, tail];
}

/**
 * The longest common suffix that ends at or after the caret, then the longest common prefix before it.
 * @param {string} before @param {string} after @param {number} caret
 * @returns {[number, number]} prefix and suffix (UTF-16 units)
 */
function scan(before, after, caret) {
  const shortest = Math.min(before.length, after.length);
  const suffixLimit = Math.min(shortest, Math.max(0, after.length - caret));
  let suffix = 0;
  while (
    suffix < suffixLimit &&
    before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)
  ) {
    suffix++;
  }
  let prefix = 0;
  while (prefix < shortest - suffix && before.charCodeAt(prefix) === after.charCodeAt(prefix)) prefix++;
  return [prefix, suffix];
}

/**
 * The number of code points in `text` between two UTF-16 offsets.
 * @param {string} text @param {number} from @param {number} to
 */
export function codePointCount(text, from, to) {
  let count = to - from;
  for (let i = from; i < to - 1; i++) {
    if (isHighSurrogate(text.charCodeAt(i)) && isLowSurrogate(text.charCodeAt(i + 1))) {
      count--;
      i++;
    }
  }
  return count;
}

/**
 * The UTF-16 offset of code point `index` in `text`.
 * @param {string} text @param {number} index
 */
export function utf16Offset(text, index) {
  let offset = 0;
  for (let seen = 0; seen < index && offset < text.length; seen++) {
    offset += isHighSurrogate(text.charCodeAt(offset)) && isLowSurrogate(text.charCodeAt(offset + 1)) ? 2 : 1;
  }
  return offset;
}

/**
 * Whether `text` has any character outside the BMP, i.e. whether offsets and indexes differ.
 * @param {string} text
 */
export function hasSurrogates(text) {
  return /[\uD800-\uDFFF]/.test(text);
}

/** @param {number} unit */
function isHighSurrogate(unit) {
  return unit >= 0xd800 && unit <= 0xdbff;
}

/** @param {number} unit */
function isLowSurrogate(unit) {
  return unit >= 0xdc00 && unit <= 0xdfff;
}
