// The replica's ElementList (leaves of at most LEAF_CAPACITY with a Fenwick tree over them) against
// a plain sorted array, on seeded random edits big enough to split leaves, start new ones at their
// edges, empty and merge them, and delete ranges across many leaves; then replicas that paste and
// cut such blocks concurrently and receive each other's deltas in shuffled order.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ElementList, LEAF_CAPACITY } from '../../main/webapp/js/element-list.js';
import { Replica, between, compareIdentifiers } from '../../main/webapp/js/lseq.js';
import { prng } from './random.mjs';

/** @typedef {import('../../main/webapp/js/lseq.js').Identifier} Identifier */

/** The list's content, element by element. @param {ElementList} list */
function contentOf(list) {
  /** @type {Array<[Identifier, number]>} */
  const content = [];
  list.forEach((parts, start, end, codePoint) => content.push([Array.from(parts.subarray(start, end)), codePoint]));
  return content;
}

for (const seed of [1, 2, 3, 4, 5, 6]) {
  test(`ElementList does what a sorted array does, through splits, merges and range deletes (seed ${seed})`, () => {
    const random = prng(seed);
    const list = new ElementList();
    /** @type {Array<[Identifier, number]>} */
    const model = [];
    let counter = 0;
    /** Fresh increasing identifiers for `count` elements at `index` of the model. @param {number} index @param {number} count */
    const idsAt = (index, count) => {
      let left = index === 0 ? null : model[index - 1][0];
      const right = index === model.length ? null : model[index][0];
      const ids = [];
      for (let i = 0; i < count; i++) {
        const id = between(left, right, 1 + random.int(3), counter++);
        ids.push(id);
        left = id;
      }
      return ids;
    };
    for (let step = 0; step < 400; step++) {
      const kind = random.int(10);
      if (kind < 3 || model.length < 10) {
        // a run at an index: sometimes more than a leaf holds
        const index = random.int(model.length + 1);
        const count = 1 + random.int(random.int(4) === 0 ? 3 * LEAF_CAPACITY : 20);
        const ids = idsAt(index, count);
        const codePoints = ids.map(() => 97 + random.int(26));
        list.insertRunAt(index, ids, codePoints);
        model.splice(index, 0, ...ids.map((id, i) => /** @type {[Identifier, number]} */ ([id, codePoints[i]])));
      } else if (kind < 6) {
        // single inserts by identifier, as remote operations arrive: at the edges and inside
        for (let k = 0; k < 1 + random.int(60); k++) {
          const index = random.int(4) === 0 ? (random.int(2) ? 0 : model.length) : random.int(model.length + 1);
          const [id] = idsAt(index, 1);
          const codePoint = 65 + random.int(26);
          assert.equal(list.insert(id, codePoint), index);
          assert.equal(list.insert(id, codePoint), -1, 'a second insert of the same identifier changes nothing');
          model.splice(index, 0, [id, codePoint]);
        }
      } else if (kind < 8) {
        // a range, often across several leaves
        const index = random.int(model.length);
        const count = Math.min(model.length - index, random.int(random.int(3) === 0 ? 4 * LEAF_CAPACITY : 30));
        const removed = list.removeRange(index, count);
        assert.deepEqual(
          removed,
          model.splice(index, count).map(([id]) => id),
        );
      } else {
        // single removes by identifier, and of identifiers that are not there
        for (let k = 0; k < 1 + random.int(80) && model.length > 0; k++) {
          const index = random.int(model.length);
          const [id] = model[index];
          assert.equal(list.remove(id), index);
          model.splice(index, 1);
          assert.equal(list.remove(id), -1);
        }
      }
      assert.equal(list.size, model.length, `step ${step}`);
      for (let k = 0; k < 5 && model.length > 0; k++) {
        const index = random.int(model.length);
        assert.deepEqual(list.idAt(index), model[index][0], `step ${step}: idAt(${index})`);
        assert.equal(list.search(model[index][0]), index);
        assert.equal(list.codePointOf(model[index][0]), model[index][1]);
        const absent = [...model[index][0], 0, 0, 0]; // right after it and before the next (sites are 1..3)
        assert.equal(list.search(absent), -(index + 1) - 1);
        assert.equal(list.codePointOf(absent), -1);
      }
      if (step % 20 === 0) assert.deepEqual(contentOf(list), model, `step ${step}`);
    }
    assert.deepEqual(contentOf(list), model);
    assert.equal(list.text(), String.fromCodePoint(...model.map(([, c]) => c)));
    // Everything removed, one way or the other, and the list still works.
    list.removeRange(0, list.size);
    assert.equal(list.size, 0);
    assert.equal(list.insert([5, 1, 1], 120), 0);
    assert.equal(list.text(), 'x');
  });
}

test('a list filled by appending (a loaded state) is complete and takes edits', () => {
  const list = new ElementList();
  /** @type {Identifier[]} */
  const ids = [];
  let left = null;
  for (let i = 0; i < 5 * LEAF_CAPACITY + 7; i++) {
    left = between(left, null, 1, i);
    ids.push(left);
    list.append(left, 97 + (i % 26));
  }
  list.finishAppending();
  assert.equal(list.size, ids.length);
  for (let i = 0; i < ids.length; i += 37) assert.equal(list.search(ids[i]), i);
  list.removeRange(LEAF_CAPACITY - 3, 2 * LEAF_CAPACITY + 10);
  assert.equal(list.size, ids.length - 2 * LEAF_CAPACITY - 10);
  assert.deepEqual(list.idAt(LEAF_CAPACITY - 3), ids[3 * LEAF_CAPACITY + 7]);
});

for (const seed of [11, 12, 13, 14]) {
  test(`replicas pasting and cutting blocks across leaves, deltas shuffled: every replica is equal (seed ${seed})`, () => {
    const random = prng(seed);
    const replicas = [new Replica(1), new Replica(2), new Replica(3)];
    /** @type {import('../../main/webapp/js/lseq.js').Delta[][]} deltas each replica has still to receive */
    const inboxes = replicas.map(() => []);
    const send = (/** @type {number} */ from, /** @type {import('../../main/webapp/js/lseq.js').Delta} */ delta) =>
      inboxes.forEach((inbox, to) => to !== from && inbox.push(delta));
    for (let round = 0; round < 120; round++) {
      const who = random.int(replicas.length);
      const replica = replicas[who];
      const kind = random.int(6);
      if (kind < 3 || replica.length < 20) {
        const size = random.int(3) === 0 ? LEAF_CAPACITY + random.int(3 * LEAF_CAPACITY) : 1 + random.int(12);
        let text = '';
        for (let i = 0; i < size; i++) text += String.fromCodePoint(97 + random.int(26));
        send(who, replica.insert(random.int(replica.length + 1), text));
      } else if (kind < 5) {
        const index = random.int(replica.length);
        const count = Math.min(replica.length - index, 1 + random.int(random.int(2) ? 2 * LEAF_CAPACITY : 8));
        send(who, replica.delete(index, count));
      } else {
        // deliver part of someone's inbox, in shuffled order
        const to = random.int(replicas.length);
        const inbox = inboxes[to];
        for (let k = random.int(inbox.length + 1); k > 0; k--) {
          const [delta] = inbox.splice(random.int(inbox.length), 1);
          replicas[to].apply(delta);
        }
      }
    }
    inboxes.forEach((inbox, to) => {
      for (const delta of inbox.reverse()) replicas[to].apply(delta);
    });
    const [first, ...others] = replicas;
    for (const other of others) {
      assert.equal(other.text(), first.text());
      assert.deepEqual(other.identifiers(), first.identifiers());
    }
    const ids = first.identifiers();
    for (let i = 1; i < ids.length; i++) assert.ok(compareIdentifiers(ids[i - 1], ids[i]) < 0);
    assert.ok(first.length > 0, 'every replica is equal');
  });
}
