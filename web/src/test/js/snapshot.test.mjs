// Snapshot decoding (docs/lseq.md, "Snapshot"): the Java SnapshotCodec's snapshots in
// docs/lseq-vectors.json load into JavaScript replicas that hold the same text, identifiers and
// delete memory and keep converging; malformed snapshots are refused with an InvalidDeltaError.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { inflateSync } from 'node:zlib';
import { InvalidDeltaError, Replica } from '../../main/webapp/js/lseq.js';
import {
  decodeBinaryDelta,
  decodeSnapshot,
  deltaFromJson,
  encodeBinaryDelta,
  identifierToJson,
} from '../../main/webapp/js/lseq-codec.js';
import { body, int32, snapshot, varint } from './snapshot-writer.mjs';

const vectors = JSON.parse(readFileSync(new URL('../../../../docs/lseq-vectors.json', import.meta.url), 'utf8'));

/** Every final replica of every session: [label, session, expected]. */
const finals = vectors.sessions.flatMap((/** @type {any} */ session) =>
  Object.entries(session.final).map(([site, expected]) => [`${session.name}, site ${site}`, session, expected]),
);

/** @param {string} base64 */
const bytesOf = (base64) => new Uint8Array(Buffer.from(base64, 'base64'));

/** Every delta a session sent or applied, parsed. @param {any} session */
const sessionDeltas = (session) =>
  session.steps.map((/** @type {any} */ step) => deltaFromJson(step.delta ?? step.apply));

/** @param {Promise<unknown>} promise @param {RegExp} [message] */
async function refused(promise, message) {
  await assert.rejects(promise, (/** @type {unknown} */ e) => {
    assert.ok(e instanceof InvalidDeltaError, `expected InvalidDeltaError, got ${e}`);
    if (message) assert.match(e.message, message);
    return true;
  });
}

// --- the Java snapshots ----------------------------------------------------------------------

test('every final replica of the vectors has a snapshot', () => {
  assert.ok(finals.length >= 2);
  for (const [label, , expected] of finals) {
    assert.equal(typeof expected.snapshot, 'string', label);
    assert.equal(Buffer.from(expected.snapshot, 'base64').subarray(0, 4).toString('latin1'), 'FLS2', label);
  }
});

for (const [label, session, expected] of finals) {
  test(`snapshot decodes: ${label}`, async () => {
    const replica = await decodeSnapshot(bytesOf(expected.snapshot), 99, 0);
    assert.ok(replica instanceof Replica);
    assert.equal(replica.site, 99);
    assert.equal(replica.nextCounter, 0);
    assert.equal(replica.text(), expected.text);
    assert.deepEqual(replica.identifiers().map(identifierToJson), expected.identifiers);
    assert.equal(replica.tombstoneCount, expected.tombstones);
    assert.deepEqual(
      [replica.parameters.rootBaseBits, replica.parameters.boundary, replica.parameters.strategySeed],
      [vectors.parameters.rootBaseBits, vectors.parameters.boundary, vectors.parameters.strategySeed],
    );
    // An ArrayBuffer works as well.
    const copy = await decodeSnapshot(bytesOf(expected.snapshot).buffer, 98, 7);
    assert.equal(copy.text(), expected.text);
    assert.equal(copy.nextCounter, 7);
  });

  test(`snapshot keeps the delete memory: ${label}`, async () => {
    const replica = await decodeSnapshot(bytesOf(expected.snapshot), 99, 0);
    // Nothing was forgotten in the sessions: every insert the session saw is live or remembered
    // as deleted, so replaying every delta changes nothing.
    for (const delta of sessionDeltas(session)) {
      replica.apply(delta);
      for (const op of delta.ops) assert.ok(replica.hasSeen(op.id));
    }
    assert.equal(replica.text(), expected.text);
    assert.deepEqual(replica.identifiers().map(identifierToJson), expected.identifiers);
    assert.equal(replica.tombstoneCount, expected.tombstones);
  });

  test(`decoded replicas keep converging: ${label}`, async () => {
    const bytes = bytesOf(expected.snapshot);
    const a = await decodeSnapshot(bytes, 99, 0);
    const b = await decodeSnapshot(bytes, 100, 0);
    // A remote edit (through the binary codec) from b reaches a.
    const fromB = [b.insert(Math.min(3, b.length), 'xyz'), b.delete(0, 1), b.insert(b.length, '!')];
    for (const delta of fromB) a.apply(decodeBinaryDelta(encodeBinaryDelta(delta)));
    assert.equal(a.text(), b.text());
    // A local insert of a decoded replica (site 99) reaches the second decoded copy.
    const fromA = a.insert(1, 'Q');
    assert.equal(fromA.ops[0].id.at(-2), 99);
    assert.equal(fromA.ops[0].id.at(-1), 0);
    assert.equal(a.nextCounter, 1);
    b.apply(fromA);
    assert.equal(b.text(), a.text());
    assert.deepEqual(b.identifiers(), a.identifiers());
    // A third copy that gets the edits in the other order ends up the same.
    const c = await decodeSnapshot(bytes, 101, 0);
    c.apply(fromA);
    for (const delta of fromB.slice().reverse()) c.apply(delta);
    assert.equal(c.text(), a.text());
    assert.deepEqual(c.identifiers(), a.identifiers());
  });
}

test('the test-side writer agrees with Java: parameters, counts and identifier streams', async () => {
  for (const [label, , expected] of finals) {
    const javaBody = new Uint8Array(inflateSync(Buffer.from(expected.snapshot, 'base64').subarray(8)));
    const replica = await decodeSnapshot(bytesOf(expected.snapshot), 99, 0);
    // Everything before the deleted section; the body ends with empty deleted and text sections.
    const ours = body({ ids: replica.identifiers(), counts: [replica.length, expected.tombstones] });
    assert.deepEqual(javaBody.subarray(0, ours.length - 2), ours.subarray(0, ours.length - 2), label);
  }
});

test('a forged snapshot round-trips, its remembered deletes stay deleted', async () => {
  const ids = [
    [5, 1, 0],
    [5, 1, 0, 3, 2, 4],
    [9, 1, 1],
  ];
  const replica = await decodeSnapshot(
    snapshot(
      body({
        ids,
        text: 'a😀\uFEFF',
        deletes: [
          [7, 3],
          [2, 9],
        ],
      }),
    ),
    4,
    10,
  );
  assert.equal(replica.text(), 'a😀\uFEFF');
  assert.deepEqual(replica.identifiers(), ids);
  assert.equal(replica.tombstoneCount, 2);
  assert.deepEqual(replica.apply({ ops: [{ type: 'insert', id: [8, 7, 3], codePoint: 0x62 }] }), []);
  assert.deepEqual(replica.apply({ ops: [{ type: 'insert', id: [8, 2, 9], codePoint: 0x62 }] }), []);
  assert.equal(replica.text(), 'a😀\uFEFF');
  assert.ok(replica.hasSeen([8, 7, 3]));
  assert.ok(!replica.hasSeen([8, 7, 4]));
  // The delete memory keeps its mark order: forgetting the first forgets (7, 3) only.
  assert.equal(replica.forgetDeletesBefore(1), 1);
  assert.ok(!replica.hasSeen([8, 7, 3]));
  assert.ok(replica.hasSeen([8, 2, 9]));
  const empty = await decodeSnapshot(snapshot(body({})), 0, 0);
  assert.equal(empty.text(), '');
  assert.equal(empty.tombstoneCount, 0);
});

test('bad site or counter for the decoded replica is a RangeError', async () => {
  const good = snapshot(body({}));
  await assert.rejects(decodeSnapshot(good, -1, 0), RangeError);
  await assert.rejects(decodeSnapshot(good, 1, -1), RangeError);
});

// --- malformed snapshots ---------------------------------------------------------------------

const java = bytesOf(finals[0][2].snapshot);
const javaBody = new Uint8Array(inflateSync(Buffer.from(java).subarray(8)));
const validBody = body({
  ids: [
    [5, 1, 0],
    [9, 1, 1],
  ],
  text: 'ab',
  deletes: [[3, 4]],
});

/** [what, bytes (or a function of nothing giving them), message pattern]. */
const malformed = [
  ['empty input', new Uint8Array(0), /truncated/],
  ['bad magic', Uint8Array.from([0x46, 0x4c, 0x53, 0x33, ...java.subarray(4)]), /not a Folio LSEQ snapshot/],
  ['a JSON delta', new TextEncoder().encode('{"ops":[]}'), /not a Folio/],
  ['header only, truncated length', java.subarray(0, 6), /truncated/],
  ['no deflate data', java.subarray(0, 8), /deflate|truncated/],
  ['truncated deflate data', java.subarray(0, java.length - 5), /deflate|truncated/],
  ['truncated by one byte', java.subarray(0, java.length - 1), /deflate|truncated/],
  [
    'corrupted deflate data',
    Uint8Array.from(java, (b, i) => (i === 12 ? b ^ 0x55 : b)),
    /deflate|truncated|longer|shorter/,
  ],
  ['corrupted checksum', Uint8Array.from(java, (b, i) => (i === java.length - 1 ? b ^ 1 : b)), /deflate/],
  ['raw deflate instead of zlib', Uint8Array.from([...java.subarray(0, 8), ...java.subarray(10)]), /deflate/],
  [
    'announced length larger than the content',
    Uint8Array.from(java, (b, i) => (i === 7 ? b + 1 : b)),
    /shorter than announced/,
  ],
  [
    'announced length smaller than the content',
    Uint8Array.from(java, (b, i) => (i === 7 ? b - 1 : b)),
    /longer than announced/,
  ],
  ['announced length zero', Uint8Array.from(java, (b, i) => (i >= 4 && i < 8 ? 0 : b)), /longer than announced/],
  ['announced length negative', Uint8Array.from(java, (b, i) => (i === 4 ? 0x80 : b)), /out of range/],
  [
    'announced length over 256 MiB',
    Uint8Array.from(java, (b, i) => (i === 4 ? 0x10 : i === 7 ? 1 : i > 4 && i < 7 ? 0 : b)),
    /out of range/,
  ],
  ['trailing bytes after the deflate data', Uint8Array.from([...java, 0]), /unexpected bytes/],
  ['a second deflate stream after the first', Uint8Array.from([...java, ...java.subarray(8)]), /unexpected bytes/],
  [
    'trailing bytes in the body',
    snapshot(Uint8Array.from([...javaBody, 0]), undefined, 2),
    /unexpected bytes after the snapshot/,
  ],
  [
    'trailing bytes in a valid forged body',
    snapshot(body({ ids: [[5, 1, 0]], text: 'a', extra: [1, 2] })),
    /unexpected bytes/,
  ],
  [
    'body truncated in the received counters',
    snapshot(javaBody.subarray(0, javaBody.length - 1), undefined, 2),
    /truncated/,
  ],
  ['body truncated in the parameters', snapshot(javaBody.subarray(0, 3), undefined, 2), /truncated/],
  ['empty body', snapshot(new Uint8Array(0)), /truncated/],
  ['rootBaseBits 0', snapshot(body({ parameters: [0, 10, 1] })), /invalid parameters/],
  ['rootBaseBits 31', snapshot(body({ parameters: [31, 10, 1] })), /invalid parameters/],
  ['boundary 0', snapshot(body({ parameters: [12, 0, 1] })), /invalid parameters/],
  [
    'varint longer than five bytes',
    snapshot(Uint8Array.from([0x8c, 0x80, 0x80, 0x80, 0x80, 0x00])),
    /longer than five bytes/,
  ],
  ['varint out of range', snapshot(Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0x0f])), /out of range/],
  [
    'more characters announced than the text has',
    snapshot(body({ ids: [[5, 1, 0]], text: 'a', counts: [2, 0] })),
    /characters for 2/,
  ],
  [
    'fewer characters announced than the text has',
    snapshot(
      body({
        ids: [
          [5, 1, 0],
          [6, 1, 1],
        ],
        text: 'ab',
        counts: [1, 0],
      }),
    ),
    /characters for 1/,
  ],
  ['huge character count', snapshot(body({ counts: [0x7fffffff, 0] })), /characters for/],
  ['more identifiers announced than written', snapshot(body({ ids: [[5, 1, 0]], text: 'ab' })), /truncated/],
  [
    'identifiers out of order',
    snapshot(
      body({
        ids: [
          [9, 1, 0],
          [5, 1, 1],
        ],
        text: 'ab',
      }),
    ),
    /out of order/,
  ],
  [
    'identifier repeated',
    snapshot(
      body({
        ids: [
          [5, 1, 0],
          [5, 1, 0],
        ],
        text: 'ab',
      }),
    ),
    /out of order/,
  ],
  ['identifier ending in digit 0', snapshot(body({ ids: [[5, 1, 0, 0, 1, 1]], text: 'a' })), /never 0/],
  ['digit outside its base', snapshot(body({ ids: [[4096, 1, 0]], text: 'a' })), /outside its base/],
  [
    'identifier sharing levels it does not have',
    snapshot(forge({ structure: [1, 1], digits: [10], sites: [2], counters: [0] })),
    /shares/,
  ],
  ['identifier of depth 0', snapshot(forge({ structure: [0, 0] })), /depth 0/],
  ['identifier deeper than 256 levels', snapshot(forge({ structure: [0x81, 0x02, 0] })), /depth 257/],
  [
    'negative site in an identifier',
    snapshot(forge({ structure: [1, 0], digits: [10], sites: [1], counters: [0] })),
    /negative/,
  ],
  ['more deletes announced than written', snapshot(body({ deletes: [[1, 1]], counts: [0, 2] })), /truncated/],
  [
    'fewer deletes announced than written',
    snapshot(
      body({
        deletes: [
          [1, 1],
          [2, 2],
        ],
        counts: [0, 1],
      }),
    ),
    /after the snapshot's deletes/,
  ],
  ['negative site among the deletes', snapshot(forge({ deleted: [1, 2], deletedCount: 1 })), /negative/],
  ['negative counter among the deletes', snapshot(forge({ deleted: [2, 1], deletedCount: 1 })), /negative/],
  [
    'section longer than the body',
    snapshot(Uint8Array.from([...validBody.subarray(0, 8), 0x7f, 1, 2])),
    /does not fit|truncated/,
  ],
];

/**
 * A body with hand-written sections (one element 'a' when there is any structure).
 * @param {{structure?: number[], digits?: number[], sites?: number[], counters?: number[], deleted?: number[], deletedCount?: number}} sections
 */
function forge({ structure = [], digits = [], sites = [], counters = [], deleted = [], deletedCount = 0 }) {
  const out = /** @type {number[]} */ ([]);
  varint(out, 12);
  varint(out, 10);
  int32(out, 1);
  const text = structure.length > 0 ? [0x61] : [];
  varint(out, text.length);
  varint(out, deletedCount);
  for (const section of [structure, digits, sites, counters, deleted, text]) {
    varint(out, section.length);
    out.push(...section);
  }
  return new Uint8Array(out);
}

test('the forged valid body decodes (so the cases below fail for their own reason)', async () => {
  const replica = await decodeSnapshot(snapshot(validBody), 1, 0);
  assert.equal(replica.text(), 'ab');
  assert.equal(replica.tombstoneCount, 1);
});

for (const [what, bytes, message] of malformed) {
  test(`snapshot refused: ${what}`, async () => {
    await refused(
      decodeSnapshot(/** @type {Uint8Array<ArrayBuffer>} */ (bytes), 1, 0),
      /** @type {RegExp} */ (message),
    );
  });
}

test('snapshot refused: not bytes', async () => {
  await refused(decodeSnapshot(/** @type {any} */ ('FLS1'), 1, 0));
  await refused(decodeSnapshot(/** @type {any} */ ([0x46, 0x4c, 0x53, 0x31]), 1, 0));
});

test('snapshot refused: every truncation; every single-bit flip is refused or changes nothing', async () => {
  for (let end = 0; end < java.length; end++) await refused(decodeSnapshot(java.subarray(0, end), 1, 0));
  // A flipped bit in the header or the deflate data is caught by the magic, the length, the
  // deflate format or the Adler-32 checksum, except in bits deflate does not use (padding after
  // the last block, unused code lengths): those inflate to the very same body.
  const expected = finals[0][2];
  let same = 0;
  for (let i = 0; i < java.length; i++) {
    for (let bit = 0; bit < 8; bit++) {
      const flipped = Uint8Array.from(java, (b, j) => (j === i ? b ^ (1 << bit) : b));
      try {
        const replica = await decodeSnapshot(flipped, 1, 0);
        assert.ok(i >= 8, `flip of header byte ${i} bit ${bit} accepted`);
        assert.equal(replica.text(), expected.text);
        assert.deepEqual(replica.identifiers().map(identifierToJson), expected.identifiers);
        assert.equal(replica.tombstoneCount, expected.tombstones);
        same++;
      } catch (e) {
        assert.ok(e instanceof InvalidDeltaError, `flip of byte ${i} bit ${bit}: ${e}`);
      }
    }
  }
  assert.ok(same < 16, `${same} flips accepted`);
});

test('snapshot refused: a deflate bomb stops at the announced length', async () => {
  const huge = new Uint8Array(8 << 20); // 8 MiB of zeros, a few KiB deflated
  const bomb = snapshot(huge, 1000);
  await refused(decodeSnapshot(bomb, 1, 0), /longer than announced/);
});
