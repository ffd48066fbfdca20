// Seeded random editing among several JavaScript replicas: deltas travel as JSON (and binary),
// arrive in random order, some twice, deletes often before their inserts; in the end every
// replica must hold the same characters with the same identifiers, and the changes apply()
// reports must rebuild each replica's text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Replica } from '../../main/webapp/js/lseq.js';
import {
  decodeBinaryDelta,
  decodeJsonDelta,
  encodeBinaryDelta,
  encodeJsonDelta,
} from '../../main/webapp/js/lseq-codec.js';
import { prng } from './random.mjs';

const ALPHABET = [...'abcdefghij XYZ', 'é', '😀', '中', '\n'];

/**
 * @param {number} seed @param {number} siteCount @param {number} steps
 */
function run(seed, siteCount, steps) {
  const random = prng(seed);
  const sites = Array.from({ length: siteCount }, (_, i) => ({
    replica: new Replica(10 + i),
    /** The text rebuilt from local edits and the changes apply() reports. @type {string[]} */
    shadow: /** @type {string[]} */ ([]),
    /** Indexes into `wire` this site has received. @type {Set<number>} */
    received: new Set(),
  }));
  /** Every delta sent, as its JSON text. @type {string[]} */
  const wire = [];

  /** @param {typeof sites[number]} site @param {number} n */
  const deliver = (site, n) => {
    const text = wire[n];
    const delta =
      random.int(4) === 0 ? decodeBinaryDelta(encodeBinaryDelta(decodeJsonDelta(text))) : decodeJsonDelta(text);
    for (const { index, codePoint } of site.replica.apply(delta)) {
      if (codePoint < 0) site.shadow.splice(index, 1);
      else site.shadow.splice(index, 0, String.fromCodePoint(codePoint));
    }
    site.received.add(n);
  };

  for (let step = 0; step < steps; step++) {
    const site = sites[random.int(siteCount)];
    const { replica } = site;
    let delta;
    if (replica.length > 0 && random.int(3) === 0) {
      const index = random.int(replica.length);
      const count = 1 + random.int(Math.min(5, replica.length - index));
      delta = replica.delete(index, count);
      site.shadow.splice(index, count);
    } else {
      const index = random.int(replica.length + 1);
      const typed = Array.from(
        { length: 1 + random.int(random.int(8) === 0 ? 40 : 4) },
        () => ALPHABET[random.int(ALPHABET.length)],
      );
      delta = replica.insert(index, typed.join(''));
      site.shadow.splice(index, 0, ...typed);
    }
    // Sent over JSON; the sender has applied its own delta already.
    const json = encodeJsonDelta(delta);
    assert.deepEqual(decodeJsonDelta(json), delta);
    site.received.add(wire.length);
    wire.push(json);

    // Now and then a site receives some deltas in random order, some of them again.
    if (random.int(3) === 0) {
      const receiver = sites[random.int(siteCount)];
      for (let k = random.int(6); k > 0; k--) deliver(receiver, random.int(wire.length));
    }
    assert.equal(site.replica.text(), site.shadow.join(''), `seed ${seed} step ${step}`);
  }

  // Then everything reaches everyone, in random order, with duplicates.
  for (const site of sites) {
    const order = wire.map((_, n) => n);
    for (let i = order.length - 1; i > 0; i--) {
      const j = random.int(i + 1);
      [order[i], order[j]] = [order[j], order[i]];
    }
    for (const n of order) {
      if (!site.received.has(n) || random.int(5) === 0) deliver(site, n);
    }
    assert.equal(site.replica.text(), site.shadow.join(''), `seed ${seed}: reported changes rebuild the text`);
  }
  return sites.map((s) => s.replica);
}

for (const [seed, siteCount] of [
  [1, 3],
  [2, 4],
  [3, 5],
  [20240611, 3],
  [987654321, 5],
]) {
  test(`${siteCount} replicas, seed ${seed}: every replica is equal`, () => {
    const replicas = run(seed, siteCount, 400);
    const [first, ...others] = replicas;
    assert.ok(first.length > 0, 'the run leaves some text');
    for (const other of others) {
      assert.equal(other.text(), first.text(), `site ${other.site} text`);
      assert.deepEqual(other.identifiers(), first.identifiers(), `site ${other.site} identifiers`);
    }
  });
}

test('typing a long text stays shallow and fast', () => {
  const replica = new Replica(1);
  const started = performance.now();
  for (let i = 0; i < 20000; i++) replica.insert(i, 'x');
  replica.insert(10000, 'y'.repeat(20000)); // one big paste in the middle
  const ms = performance.now() - started;
  assert.equal(replica.length, 40000);
  const deepest = Math.max(...replica.identifiers().map((id) => id.length / 3));
  assert.ok(deepest < 64, `deepest identifier ${deepest}`);
  assert.ok(ms < 5000, `took ${ms} ms`);
});
