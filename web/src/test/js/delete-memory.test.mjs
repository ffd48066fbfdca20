// The replica's delete memory (an open-addressing table with back-shifting removal, and a queue in
// mark order) against a plain Map, through the public API: deletes of unseen characters are
// remembered, forgetDeletesBefore drops the oldest, in many rounds that grow and shrink the table.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Replica } from '../../main/webapp/js/lseq.js';
import { prng } from './random.mjs';

for (const seed of [1, 2, 3, 4]) {
  test(`remembered deletes are exactly those not yet forgotten, in mark order (seed ${seed})`, () => {
    const random = prng(seed);
    const replica = new Replica(99);
    /** @type {Array<[number, number]>} what is remembered, in mark order */
    let model = [];
    const key = (/** @type {number} */ site, /** @type {number} */ counter) => `${site}:${counter}`;
    const known = new Set();
    /** @type {Array<[number, number]>} forgotten pairs, to check they are gone */
    const forgotten = [];
    let mark = 0;
    for (let round = 0; round < 60; round++) {
      const adds = random.int(random.int(4) === 0 ? 3000 : 200);
      /** @type {import('../../main/webapp/js/lseq.js').Operation[]} */
      const ops = [];
      for (let i = 0; i < adds; i++) {
        // few sites and dense counters: many pairs land in neighbouring slots
        const site = random.int(5);
        const counter = random.int(4) === 0 ? random.int(0x7fffffff) : random.int(5000);
        ops.push({ type: 'delete', id: [1 + random.int(100), site, counter] });
        if (!known.has(key(site, counter))) {
          known.add(key(site, counter));
          model.push([site, counter]);
        }
      }
      replica.apply({ ops });
      assert.equal(replica.tombstoneCount, model.length, `round ${round}`);
      assert.equal(replica.deleteMark(), mark + model.length);
      if (random.int(3) > 0) {
        const drop = random.int(model.length + 1);
        assert.equal(replica.forgetDeletesBefore(mark + drop), drop);
        for (const [site, counter] of model.slice(0, drop)) {
          known.delete(key(site, counter));
          forgotten.push([site, counter]);
        }
        model = model.slice(drop);
        mark += drop;
      }
      assert.deepEqual(replica.state().deleted, model, `round ${round}`);
      assert.deepEqual(Array.from(replica.packedState().deleted), model.flat());
      for (let k = 0; k < 50 && model.length > 0; k++) {
        const [site, counter] = model[random.int(model.length)];
        assert.ok(replica.hasSeen([1, site, counter]), `round ${round}: ${site}:${counter} remembered`);
      }
      for (let k = 0; k < 50 && forgotten.length > 0; k++) {
        const [site, counter] = forgotten[random.int(forgotten.length)];
        assert.equal(replica.hasSeen([1, site, counter]), known.has(key(site, counter)), `round ${round}`);
      }
    }
    replica.forgetDeletesBefore(replica.deleteMark());
    assert.equal(replica.tombstoneCount, 0);
    assert.deepEqual(replica.state().deleted, []);
  });
}
