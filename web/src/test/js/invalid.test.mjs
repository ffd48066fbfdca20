// Malformed and forged deltas are refused with an InvalidDeltaError and leave the replica as it
// was: nothing of a bad delta is applied, not even its valid operations.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidDeltaError, Replica } from '../../main/webapp/js/lseq.js';
import {
  decodeBinaryDelta,
  decodeJsonDelta,
  encodeBinaryDelta,
  encodeJsonDelta,
} from '../../main/webapp/js/lseq-codec.js';

/** A replica with some text and a remembered delete, and a snapshot of its state. */
function fixture() {
  const replica = new Replica(1);
  replica.insert(0, 'hello');
  replica.delete(0, 1);
  const state = () => ({
    text: replica.text(),
    ids: replica.identifiers(),
    tombstones: replica.tombstoneCount,
    counter: replica.nextCounter,
  });
  return { replica, before: state(), state };
}

const good = '{"type":"insert","id":[[5,2,0]],"text":"a"}';

/** [what, JSON text, message pattern] for deltas the JSON codec refuses. */
const badJson = [
  ['not JSON', '{"ops": [', /not valid JSON/],
  ['not an object', '[1,2]', /delta must be a JSON object/],
  ['no ops', '{}', /delta: missing "ops"/],
  ['ops not an array', '{"ops": {}}', /"ops" must be array/],
  ['operation not an object', `{"ops": [${good}, 3]}`, /operation 1 must be a JSON object/],
  ['no type', '{"ops": [{"id": [[5,2,0]], "text": "a"}]}', /operation 0: missing "type"/],
  ['type not a string', '{"ops": [{"type": 1, "id": [[5,2,0]], "text": "a"}]}', /"type" must be string/],
  ['unknown type', '{"ops": [{"type": "move", "id": [[5,2,0]]}]}', /unknown type "move"/],
  ['no id', '{"ops": [{"type": "delete"}]}', /missing "id"/],
  ['id not an array', '{"ops": [{"type": "delete", "id": "5,2,0"}]}', /"id" must be array/],
  ['empty id', '{"ops": [{"type": "delete", "id": []}]}', /at least one level/],
  ['flat id', '{"ops": [{"type": "delete", "id": [5,2,0]}]}', /level 0 must be \[digit, site, counter\]/],
  ['short level', '{"ops": [{"type": "delete", "id": [[5,2]]}]}', /level 0 must be/],
  ['string part', '{"ops": [{"type": "delete", "id": [["5",2,0]]}]}', /must be integers/],
  ['fraction', '{"ops": [{"type": "delete", "id": [[5.5,2,0]]}]}', /must be integers/],
  ['negative', '{"ops": [{"type": "delete", "id": [[5,-2,0]]}]}', /never negative/],
  ['too large', '{"ops": [{"type": "delete", "id": [[5,2,2147483648]]}]}', /out of range/],
  ['huge', '{"ops": [{"type": "delete", "id": [[5,2,1e400]]}]}', /out of range/],
  ['no text', '{"ops": [{"type": "insert", "id": [[5,2,0]]}]}', /missing "text"/],
  ['empty text', '{"ops": [{"type": "insert", "id": [[5,2,0]], "text": ""}]}', /exactly one character/],
  ['two characters', '{"ops": [{"type": "insert", "id": [[5,2,0]], "text": "ab"}]}', /exactly one character/],
  ['lone surrogate', '{"ops": [{"type": "insert", "id": [[5,2,0]], "text": "\\ud83d"}]}', /lone surrogate/],
];

for (const [what, json, message] of badJson) {
  test(`JSON delta refused: ${what}`, () => {
    const { replica, before, state } = fixture();
    assert.throws(
      () => replica.apply(decodeJsonDelta(/** @type {string} */ (json))),
      (e) => {
        assert.ok(e instanceof InvalidDeltaError, String(e));
        assert.match(e.message, /** @type {RegExp} */ (message));
        return true;
      },
    );
    assert.deepEqual(state(), before);
  });
}

/** Deltas that decode but break a rule of "Validation"; each starts with a valid insert. */
const forged = [
  ['digit outside the root base', '[[4096,2,1]]', 'a', /outside its base 4096/],
  ['digit outside a deeper base', '[[5,2,1],[8192,2,2]]', 'a', /outside its base 8192/],
  ['last digit 0', '[[5,2,1],[0,2,2]]', 'a', /never 0/],
  ['deeper than 256 levels', JSON.stringify(Array.from({ length: 257 }, (_, i) => [1, 2, i])), 'a', /more than 256/],
];

for (const [what, id, text, message] of forged) {
  test(`delta refused as a whole: ${what}`, () => {
    const { replica, before, state } = fixture();
    const json = `{"ops": [${good}, {"type": "insert", "id": ${id}, "text": "${text}"}]}`;
    assert.throws(() => replica.apply(decodeJsonDelta(json)), InvalidDeltaError);
    assert.throws(
      () => replica.apply(decodeJsonDelta(json.replace('"insert", "id": [[', '"delete", "id": [['))),
      InvalidDeltaError,
    );
    assert.deepEqual(state(), before);
  });
}

test('delta refused: an identifier that already holds another character', () => {
  const { replica, before, state } = fixture();
  const [id] = replica.identifiers();
  const json = encodeJsonDelta({
    ops: [
      { type: 'insert', id: [5, 2, 0], codePoint: 97 },
      { type: 'insert', id, codePoint: 0x7a },
    ],
  });
  assert.throws(() => replica.apply(decodeJsonDelta(json)), /already holds a different character/);
  assert.deepEqual(state(), before);
  // The same character again is a harmless duplicate.
  assert.deepEqual(replica.apply({ ops: [{ type: 'insert', id, codePoint: replica.text().codePointAt(0) ?? 0 }] }), []);
});

test('delta refused: one identifier inserted twice with different characters', () => {
  const { replica, before, state } = fixture();
  const json = `{"ops": [${good}, ${good.replace('"a"', '"b"')}]}`;
  assert.throws(() => replica.apply(decodeJsonDelta(json)), /inserted twice with different characters/);
  assert.deepEqual(state(), before);
});

test('delta refused: hand-made operations that are not well formed', () => {
  const { replica, before, state } = fixture();
  for (const op of [
    { type: 'insert', id: [5, 2, 0], codePoint: 0xd800 },
    { type: 'insert', id: [5, 2, 0], codePoint: 0x110000 },
    { type: 'insert', id: [5, 2], codePoint: 97 },
    { type: 'delete', id: [5, 2, -1] },
    { type: 'move', id: [5, 2, 0] },
  ]) {
    assert.throws(() => replica.apply(/** @type {any} */ ({ ops: [op] })), InvalidDeltaError, JSON.stringify(op));
  }
  assert.deepEqual(state(), before);
});

test('remote deltas: late inserts of deletes stay deleted, unseen deletes are remembered', () => {
  const one = new Replica(1);
  const two = new Replica(2);
  const typed = one.insert(0, 'ab');
  const removed = one.delete(0, 1);
  assert.deepEqual(two.apply(removed), []);
  assert.equal(two.tombstoneCount, 1);
  assert.deepEqual(two.apply(typed), [{ index: 0, codePoint: 'b'.codePointAt(0) }]);
  assert.deepEqual(two.apply(typed), []);
  assert.equal(two.text(), 'b');
  assert.deepEqual(two.identifiers(), one.identifiers());
  assert.equal(two.deleteMark(), 1);
  assert.equal(two.forgetDeletesBefore(1), 1);
  assert.equal(two.tombstoneCount, 0);
});

test('local edits use code point indexes', () => {
  const replica = new Replica(7);
  replica.insert(0, 'a😀b');
  assert.equal(replica.length, 3);
  replica.insert(2, 'é');
  assert.equal(replica.text(), 'a😀éb');
  const removed = replica.delete(1, 1);
  assert.equal(replica.text(), 'aéb');
  assert.equal(removed.ops.length, 1);
  assert.equal(replica.nextCounter, 4);
  assert.throws(() => replica.insert(0, '\ud800'), RangeError);
  assert.throws(() => replica.insert(4, 'x'), RangeError);
  assert.throws(() => replica.delete(2, 2), RangeError);
  assert.equal(replica.text(), 'aéb');
  assert.throws(() => new Replica(1, { nextCounter: 0x7fffffff }).insert(0, 'ab'), /used all its counters/);
});

/** [what, hex, message pattern] for binary deltas the decoder refuses. */
const badBinary = [
  ['empty', '', /truncated/],
  ['unknown version', '02', /unknown binary delta version 2/],
  ['truncated count', '0180', /truncated/],
  ['more operations than bytes', '0102000101', /cannot hold 2 operations/],
  ['unknown kind', '0101020100020000', /unknown operation kind 2/],
  ['depth 0', '0101010000000000', /depth 0/],
  ['shares levels it does not have', '01010101010a0000', /shares 1 levels/],
  ['truncated identifier', '010100010002', /truncated/],
  ['varint longer than five bytes', '01010080808080800100', /longer than five bytes/],
  ['varint out of range', '0101008080808010', /out of range/],
  ['negative digit', '0101010100010000', /negative/],
  ['code point a surrogate', '010100010002000080b003', /Unicode scalar value/],
  ['trailing bytes', '01010101000a000000', /unexpected bytes/],
];

for (const [what, hex, message] of badBinary) {
  test(`binary delta refused: ${what}`, () => {
    assert.throws(
      () => decodeBinaryDelta(Uint8Array.from(Buffer.from(/** @type {string} */ (hex), 'hex'))),
      (e) => {
        assert.ok(e instanceof InvalidDeltaError, String(e));
        assert.match(e.message, /** @type {RegExp} */ (message));
        return true;
      },
    );
  });
}

test('binary delta: longer varints are read, the writer writes the shortest', () => {
  const delta = { ops: [{ type: /** @type {const} */ ('delete'), id: [5, 2, 0] }] };
  const shortest = encodeBinaryDelta(delta);
  assert.equal(Buffer.from(shortest).toString('hex'), '01010101000a0400');
  assert.deepEqual(decodeBinaryDelta(shortest), delta);
  // version, count 1 in two bytes, kind, depth, shared, digit, site, counter
  assert.deepEqual(decodeBinaryDelta(Uint8Array.from([1, 0x81, 0, 1, 1, 0, 10, 4, 0])), delta);
  const big = {
    ops: [
      { type: /** @type {const} */ ('insert'), id: [1, 0x7fffffff, 0x7fffffff, 0x3fffffff, 0, 0], codePoint: 0x10ffff },
    ],
  };
  assert.deepEqual(decodeBinaryDelta(encodeBinaryDelta(big)), big);
});
