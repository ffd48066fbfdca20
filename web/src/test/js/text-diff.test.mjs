// The edit an `input` event made: for random texts and random single edits (typing, paste,
// selection replaced, Backspace, Delete, undo-like jumps), with and without characters outside
// the BMP, applying the reported edit to the old text gives the new one, it sits where the caret
// says, and it never cuts a surrogate pair.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { codePointCount, diffText, hasSurrogates, utf16Offset } from '../../main/webapp/js/text-diff.js';
import { prng } from './random.mjs';

/** Applies an edit given in code points. @param {string} text @param {import('../../main/webapp/js/text-diff.js').TextEdit} edit */
function applyEdit(text, { index, removed, inserted }) {
  const points = [...text];
  points.splice(index, removed, ...inserted);
  return points.join('');
}

test('equal texts are no edit', () => {
  assert.equal(diffText('same', 'same', 2), null);
});

test('typing a letter next to the same letter is placed at the caret', () => {
  // "aa" → "aaa" with the caret after the second a: the new a is the second one, not the third.
  assert.deepEqual(diffText('aa', 'aaa', 2), { index: 1, removed: 0, inserted: 'a' });
  assert.deepEqual(diffText('aa', 'aaa', 1), { index: 0, removed: 0, inserted: 'a' });
  assert.deepEqual(diffText('aa', 'aaa'), { index: 2, removed: 0, inserted: 'a' });
});

test('a selection replaced by a paste is one edit', () => {
  assert.deepEqual(diffText('hello world', 'hello there', 11), { index: 6, removed: 5, inserted: 'there' });
});

test('Backspace and Delete', () => {
  assert.deepEqual(diffText('abc', 'ac', 1), { index: 1, removed: 1, inserted: '' });
  assert.deepEqual(diffText('abcc', 'abc', 3), { index: 3, removed: 1, inserted: '' });
});

test('indexes count code points, and a surrogate pair is never split', () => {
  // Replacing one emoji by another sharing its high surrogate: the whole pair is the edit.
  assert.deepEqual(diffText('x😀y', 'x😁y', 3), { index: 1, removed: 1, inserted: '😁' });
  assert.deepEqual(diffText('😀😀', '😀a😀', 3), { index: 1, removed: 0, inserted: 'a' });
  assert.equal(codePointCount('a😀b', 0, 4), 3);
  assert.equal(utf16Offset('a😀b', 2), 3);
  assert.ok(hasSurrogates('a😀') && !hasSurrogates('abc'));
});

const ALPHABET = ['a', 'b', ' ', 'a', '😀', '😁', 'é', '\n'];

for (const seed of [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]) {
  test(`random single edits are found exactly (seed ${seed})`, () => {
    const random = prng(seed);
    const word = (/** @type {number} */ n) =>
      Array.from({ length: n }, () => ALPHABET[random.int(ALPHABET.length)]).join('');
    for (let round = 0; round < 500; round++) {
      const points = [...word(random.int(30))];
      const at = random.int(points.length + 1);
      const removed = random.int(Math.min(4, points.length - at) + 1);
      const inserted = word(random.int(4));
      const before = points.join('');
      const after = [...points.slice(0, at), ...inserted, ...points.slice(at + removed)].join('');
      const caret = [...points.slice(0, at), ...inserted].join('').length; // UTF-16, after the inserted text
      const edit = diffText(before, after, caret);
      if (before === after) {
        assert.equal(edit, null);
        continue;
      }
      assert.ok(edit, `${JSON.stringify(before)} → ${JSON.stringify(after)}`);
      assert.equal(
        applyEdit(before, edit),
        after,
        `${JSON.stringify(before)} → ${JSON.stringify(after)}: ${JSON.stringify(edit)}`,
      );
      assert.ok(
        edit.removed <= removed && [...edit.inserted].length <= [...inserted].length,
        'never larger than the real edit',
      );
      assert.ok(
        edit.index + [...edit.inserted].length <= [...points.slice(0, at), ...inserted].length,
        'ends at or before the caret',
      );
      assert.ok(!/^[\uDC00-\uDFFF]|[\uD800-\uDBFF]$/.test(edit.inserted), 'no half pair');
    }
  });
}
