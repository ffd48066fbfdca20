// What the browser keeps of a replica (packedState) comes back as the same replica: the same
// characters, identifiers and delete memory, and it keeps converging with the others.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidDeltaError, Replica } from '../../main/webapp/js/lseq.js';
import { prng } from './random.mjs';

for (const seed of [1, 2, 3]) {
  test(`a packed replica comes back whole (seed ${seed})`, () => {
    const random = prng(seed);
    const [a, b] = [new Replica(1), new Replica(2)];
    for (let i = 0; i < 400; i++) {
      const [from, to] = random.int(2) === 0 ? [a, b] : [b, a];
      const delta =
        from.length > 0 && random.int(3) === 0
          ? from.delete(random.int(from.length), 1)
          : from.insert(random.int(from.length + 1), ['x', '😀', 'é'][random.int(3)]);
      to.apply(delta);
    }
    const restored = Replica.fromPackedState(1, { nextCounter: a.nextCounter }, a.packedState());
    assert.equal(restored.text(), a.text());
    assert.deepEqual(restored.identifiers(), a.identifiers());
    assert.equal(restored.tombstoneCount, a.tombstoneCount);
    assert.deepEqual(restored.state(), a.state());
    // It edits on where the original left off, and the others accept its edits.
    b.apply(restored.insert(0, 'new'));
    a.apply(restored.delete(restored.length - 1, 1));
    assert.equal(b.text().slice(0, 3), 'new');
  });
}

test('a damaged packed state is refused', () => {
  const replica = new Replica(1);
  replica.insert(0, 'abc');
  const packed = replica.packedState();
  assert.throws(
    () => Replica.fromPackedState(1, {}, { ...packed, parts: packed.parts.subarray(1) }),
    InvalidDeltaError,
  );
  const swapped = { ...packed, codePoints: packed.codePoints.slice().reverse(), parts: packed.parts.slice() };
  swapped.parts.set(packed.parts.subarray(0, 3), 3);
  swapped.parts.set(packed.parts.subarray(3, 6), 0);
  assert.throws(() => Replica.fromPackedState(1, {}, swapped), InvalidDeltaError, 'out of order');
});

test('a rebuilt replica can be told the counters its site used meanwhile, and never goes back', () => {
  const replica = new Replica(7, { nextCounter: 3 });
  replica.advanceCounter(10);
  replica.advanceCounter(5); // never lower
  const { ops } = replica.insert(0, 'a');
  assert.equal(ops[0].id[ops[0].id.length - 1], 10);
  assert.equal(replica.nextCounter, 11);
  assert.throws(() => replica.advanceCounter(-1), RangeError);
});
