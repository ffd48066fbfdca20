// A test-side snapshot writer: forges snapshots in the format of the Java SnapshotCodec
// (docs/lseq.md, "Snapshot"), for the decoder's tests and for the test server of the session tests.
// The application itself never writes snapshots; the server does.
import { deflateSync } from 'node:zlib';
import { DEFAULT_PARAMETERS } from '../../main/webapp/js/lseq.js';

/** @param {number[]} out @param {number} value */
export function varint(out, value) {
  let rest = value >>> 0;
  while (rest > 0x7f) {
    out.push((rest & 0x7f) | 0x80);
    rest >>>= 7;
  }
  out.push(rest);
}
/** @param {number[]} out @param {number} value */
export const svarint = (out, value) => varint(out, (value << 1) ^ (value >> 31));
/** @param {number[]} out @param {number} value */
export const int32 = (out, value) =>
  out.push((value >>> 24) & 0xff, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff);

/**
 * A snapshot body: of the first format ("FLS1"), or with `received` of the second ("FLS2").
 * @param {{ids?: number[][], text?: string, deletes?: number[][], received?: number[][], parameters?: number[], counts?: number[], extra?: number[]}} state
 */
export function body({
  ids = [],
  text = '',
  deletes = [],
  received,
  parameters = [DEFAULT_PARAMETERS.rootBaseBits, DEFAULT_PARAMETERS.boundary, DEFAULT_PARAMETERS.strategySeed],
  counts,
  extra = [],
}) {
  /** @type {number[][]} */
  const [structure, digits, sites, counters, deleted] = [[], [], [], [], []];
  let previous = /** @type {number[]} */ ([]);
  let previousSite = 0;
  let previousCounter = 0;
  for (const id of ids) {
    let shared = 0;
    while (
      3 * shared < Math.min(previous.length, id.length) &&
      [0, 1, 2].every((k) => previous[3 * shared + k] === id[3 * shared + k])
    )
      shared++;
    varint(structure, id.length / 3);
    varint(structure, shared);
    for (let level = shared; level < id.length / 3; level++) {
      const base = level === shared && 3 * level < previous.length ? previous[3 * level] : 0;
      svarint(digits, id[3 * level] - base);
      svarint(sites, id[3 * level + 1] - previousSite);
      svarint(counters, id[3 * level + 2] - previousCounter);
      previousSite = id[3 * level + 1];
      previousCounter = id[3 * level + 2];
    }
    previous = id;
  }
  let [site, counter] = [0, 0];
  for (const [s, c] of deletes) {
    svarint(deleted, s - site);
    svarint(deleted, c - counter);
    [site, counter] = [s, c];
  }
  const out = /** @type {number[]} */ ([]);
  varint(out, parameters[0]);
  varint(out, parameters[1]);
  int32(out, parameters[2]);
  const [elementCount, deletedCount] = counts ?? [[...text].length, deletes.length];
  varint(out, elementCount);
  varint(out, deletedCount);
  for (const section of [structure, digits, sites, counters, deleted, [...Buffer.from(text, 'utf8')]]) {
    varint(out, section.length);
    for (const b of section) out.push(b); // not push(...section): a large document's would overflow the stack
  }
  if (received) {
    const section = /** @type {number[]} */ ([]);
    let previous = 0;
    for (const [s, c] of [...received].sort((x, y) => x[0] - y[0])) {
      varint(section, s - previous);
      varint(section, c);
      previous = s;
    }
    varint(out, received.length);
    varint(out, section.length);
    out.push(...section);
  }
  out.push(...extra);
  return new Uint8Array(out);
}

/**
 * "FLS1" (or "FLS2"), the announced length, the zlib body.
 * @param {Uint8Array} bodyBytes @param {number} [announced] @param {1 | 2} [version]
 */
export function snapshot(bodyBytes, announced = bodyBytes.length, version = 1) {
  const header = /** @type {number[]} */ ([0x46, 0x4c, 0x53, 0x30 + version]);
  int32(header, announced);
  return new Uint8Array([...header, ...deflateSync(bodyBytes)]);
}

/**
 * A replica's snapshot, as base64 (what a `joined` frame carries).
 * @param {import('../../main/webapp/js/lseq.js').Replica} replica
 */
export function snapshotOf(replica) {
  const { identifiers, deleted, received } = replica.state();
  const bytes = snapshot(body({ ids: identifiers, text: replica.text(), deletes: deleted, received }), undefined, 2);
  return Buffer.from(bytes).toString('base64');
}
