// Replica.apply puts runs of inserts and deletes into its arrays in one splice. Whatever the order
// of a delta's operations (a paste, a cut, deletes backwards, mixed, repeated), applying it whole
// must do exactly what applying its operations one by one does, and the changes it reports must
// rebuild the text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Replica } from '../../main/webapp/js/lseq.js';
import { prng } from './random.mjs';

/** @param {string} text @param {import('../../main/webapp/js/lseq.js').TextChange[]} changes */
function rebuild(text, changes) {
  const points = [...text];
  for (const { index, codePoint } of changes) {
    if (codePoint < 0) points.splice(index, 1);
    else points.splice(index, 0, String.fromCodePoint(codePoint));
  }
  return points.join('');
}

for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
  test(`a delta applied whole equals its operations applied one by one (seed ${seed})`, () => {
    const random = prng(seed);
    const author = new Replica(1);
    const whole = new Replica(2);
    const single = new Replica(3);
    for (let round = 0; round < 60; round++) {
      /** @type {import('../../main/webapp/js/lseq.js').Operation[]} */
      let ops = [];
      for (let k = 0; k < 1 + random.int(4); k++) {
        if (author.length > 5 && random.int(2) === 0) {
          const at = random.int(author.length - 3);
          ops.push(...author.delete(at, 1 + random.int(3)).ops);
        } else {
          ops.push(...author.insert(random.int(author.length + 1), 'abcdefgh'.slice(0, 1 + random.int(8))).ops);
        }
      }
      const order = random.int(4);
      if (order === 1) ops.reverse();
      if (order === 2)
        ops = ops
          .map((op) => /** @type {[number, import('../../main/webapp/js/lseq.js').Operation]} */ ([random.next(), op]))
          .sort((a, b) => a[0] - b[0])
          .map(([, op]) => op);
      if (order === 3) ops = [...ops, ...ops.slice(0, random.int(ops.length + 1))]; // repeats
      const before = whole.text();
      const changes = whole.apply({ ops });
      for (const op of ops) single.apply({ ops: [op] });
      assert.equal(rebuild(before, changes), whole.text(), `round ${round}: the changes rebuild the text`);
      assert.equal(whole.text(), single.text(), `round ${round}`);
      assert.deepEqual(whole.identifiers(), single.identifiers(), `round ${round}`);
      assert.equal(whole.tombstoneCount, single.tombstoneCount, `round ${round}`);
    }
    assert.equal(whole.text(), author.text(), 'every replica is equal');
  });
}

test('a 50,000-character paste and cut from someone else apply in one go', () => {
  const author = new Replica(1);
  const reader = new Replica(2);
  reader.apply(author.insert(0, 'x'.repeat(50_000)));
  const paste = author.insert(25_000, 'y'.repeat(50_000));
  const cut = author.delete(10_000, 50_000);
  const changes = [...reader.apply(paste), ...reader.apply(cut)];
  assert.equal(reader.text(), author.text());
  assert.equal(changes.length, 100_000);
});
