// Replays docs/lseq-vectors.json, which the Java core writes and checks (LseqVectorsTest): the
// JavaScript LSEQ must compute the same numbers, identifiers, deltas, texts and bytes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  DEFAULT_PARAMETERS,
  LseqParameters,
  Replica,
  between,
  compareIdentifiers,
  mix32,
} from '../../main/webapp/js/lseq.js';
import {
  decodeBinaryDelta,
  decodeJsonDelta,
  deltaFromJson,
  deltaToJson,
  encodeBinaryDelta,
  identifierFromJson,
  identifierToJson,
} from '../../main/webapp/js/lseq-codec.js';

const vectors = JSON.parse(readFileSync(new URL('../../../../docs/lseq-vectors.json', import.meta.url), 'utf8'));
const { rootBaseBits, boundary, strategySeed } = vectors.parameters;
const parameters = new LseqParameters(rootBaseBits, boundary, strategySeed);

/** @param {number[][] | null} json */
const idOrNull = (json) => (json === null ? null : identifierFromJson(json));
const hex = (/** @type {Uint8Array} */ bytes) => Buffer.from(bytes).toString('hex');

test('vector file format and parameters are the defaults', () => {
  assert.equal(vectors.format, 'folio-lseq-vectors-1');
  assert.deepEqual(
    { rootBaseBits, boundary, strategySeed },
    {
      rootBaseBits: DEFAULT_PARAMETERS.rootBaseBits,
      boundary: DEFAULT_PARAMETERS.boundary,
      strategySeed: DEFAULT_PARAMETERS.strategySeed,
    },
  );
});

test('mix32', () => {
  assert.ok(vectors.mix32.length > 0);
  for (const [input, output] of vectors.mix32) {
    assert.equal(mix32(input) | 0, output, `mix32(${input})`);
    assert.equal(mix32(input), output >>> 0, `mix32(${input}) unsigned`);
  }
});

test('base and strategy per depth', () => {
  assert.ok(vectors.depths.length > 0);
  for (const { depth, base, boundaryPlus } of vectors.depths) {
    assert.equal(parameters.base(depth), base, `base(${depth})`);
    assert.equal(parameters.boundaryPlus(depth), boundaryPlus, `boundaryPlus(${depth})`);
  }
});

test('offsets', () => {
  assert.ok(vectors.offsets.length > 0);
  for (const { site, counter, depth, step, offset } of vectors.offsets) {
    assert.equal(parameters.offset(site, counter, depth, step), offset, JSON.stringify({ site, counter, depth, step }));
  }
});

test('allocations', () => {
  assert.ok(vectors.allocations.length > 0);
  for (const { left, right, site, counter, id } of vectors.allocations) {
    const l = idOrNull(left);
    const r = idOrNull(right);
    const allocated = between(l, r, site, counter, parameters);
    assert.deepEqual(identifierToJson(allocated), id, JSON.stringify({ left, right, site, counter }));
    if (l) assert.ok(compareIdentifiers(l, allocated) < 0, 'after left');
    if (r) assert.ok(compareIdentifiers(allocated, r) < 0, 'before right');
  }
});

for (const session of vectors.sessions) {
  test(`session: ${session.name}`, () => {
    /** @type {Map<number, Replica>} */
    const replicas = new Map(
      session.sites.map((/** @type {number} */ site) => [site, new Replica(site, { parameters })]),
    );
    assert.ok(session.steps.length > 0);
    session.steps.forEach((/** @type {any} */ step, /** @type {number} */ n) => {
      const replica = /** @type {Replica} */ (replicas.get(step.site));
      const where = `step ${n} at site ${step.site}: ${JSON.stringify(step).slice(0, 120)}`;
      if ('insert' in step) {
        // "typed" is what the site typed, "text" its text afterwards.
        const typed = step.typed;
        assert.equal(step.delta.ops.map((/** @type {any} */ op) => op.text).join(''), typed, where);
        const delta = replica.insert(step.insert, typed);
        assert.deepEqual(deltaToJson(delta), step.delta, where);
      } else if ('delete' in step) {
        const delta = replica.delete(step.delete, step.count);
        assert.deepEqual(deltaToJson(delta), step.delta, where);
      } else if ('apply' in step) {
        replica.apply(decodeJsonDelta(JSON.stringify(step.apply)));
      } else {
        assert.fail(`unknown step ${where}`);
      }
      assert.equal(replica.text(), step.text, where);
    });
    assert.deepEqual(Object.keys(session.final).map(Number).sort(), [...session.sites].sort());
    for (const [site, { text, identifiers }] of Object.entries(session.final)) {
      const replica = /** @type {Replica} */ (replicas.get(Number(site)));
      assert.equal(replica.text(), text, `final text at site ${site}`);
      assert.deepEqual(replica.identifiers().map(identifierToJson), identifiers, `final identifiers at site ${site}`);
    }
  });
}

test('binary deltas', () => {
  assert.ok(vectors.binaryDeltas.length > 0);
  for (const { delta, hex: expected } of vectors.binaryDeltas) {
    assert.equal(hex(encodeBinaryDelta(deltaFromJson(delta))), expected);
    const decoded = decodeBinaryDelta(Uint8Array.from(Buffer.from(expected, 'hex')));
    assert.deepEqual(deltaToJson(decoded), delta);
  }
});
