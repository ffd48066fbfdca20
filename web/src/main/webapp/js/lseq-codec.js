// The wire forms of an LSEQ delta (docs/lseq.md, "Encodings"): the JSON form the WebSocket
// protocol carries and the compact binary form, both ways, with the validation of the Java codecs
// (dev.folio.document.json.JsonDeltaCodec, dev.folio.lseq.BinaryDeltaCodec); and the decoding of a
// whole-replica snapshot (dev.folio.lseq.SnapshotCodec).

import { InvalidDeltaError, LseqParameters, MAX_DEPTH, Replica, isScalarValue } from './lseq.js';

/** @typedef {import('./lseq.js').Identifier} Identifier */
/** @typedef {import('./lseq.js').Operation} Operation */
/** @typedef {import('./lseq.js').Delta} Delta */
/** @typedef {Array<[number, number, number]>} IdentifierJson an identifier's levels as [digit, site, counter] */
/** @typedef {{type: 'insert', id: IdentifierJson, text: string} | {type: 'delete', id: IdentifierJson}} OperationJson */
/** @typedef {{ops: OperationJson[]}} DeltaJson */

/**
 * The JSON form of an identifier: its levels as [digit, site, counter].
 * @param {Identifier} id @returns {IdentifierJson}
 */
export function identifierToJson(id) {
  /** @type {IdentifierJson} */
  const levels = [];
  for (let i = 0; i < id.length; i += 3) levels.push([id[i], id[i + 1], id[i + 2]]);
  return levels;
}

/**
 * The JSON form of a delta, members in the documented order:
 * `{"ops":[{"type":"insert","id":[[d,s,c],...],"text":"a"},{"type":"delete","id":[...]}]}`.
 * @param {Delta} delta @returns {DeltaJson}
 */
export function deltaToJson(delta) {
  return {
    ops: delta.ops.map((op) =>
      op.type === 'insert'
        ? { type: 'insert', id: identifierToJson(op.id), text: String.fromCodePoint(op.codePoint) }
        : { type: 'delete', id: identifierToJson(op.id) },
    ),
  };
}

/** @param {Delta} delta @returns {string} */
export function encodeJsonDelta(delta) {
  return JSON.stringify(deltaToJson(delta));
}

/**
 * Reads a JSON delta from its text.
 * @param {string} json @returns {Delta}
 * @throws {InvalidDeltaError} if the text is not JSON or not a delta of this form
 */
export function decodeJsonDelta(json) {
  let value;
  try {
    value = JSON.parse(json);
  } catch (e) {
    throw new InvalidDeltaError(`delta is not valid JSON: ${/** @type {Error} */ (e).message}`, { cause: e });
  }
  return deltaFromJson(value);
}

/**
 * Reads a delta from a parsed JSON value. Unknown members are ignored.
 * @param {unknown} json @returns {Delta}
 * @throws {InvalidDeltaError}
 */
export function deltaFromJson(json) {
  const ops = /** @type {unknown[]} */ (member(object(json, 'delta'), 'ops', 'array', 'delta'));
  /** @type {Operation[]} */
  const operations = [];
  for (let i = 0; i < ops.length; i++) {
    const where = `operation ${i}`;
    operations.push(operationFromJson(object(ops[i], where), where));
  }
  return { ops: operations };
}

/**
 * @param {unknown} json the JSON form of an identifier
 * @param {string} [where] for error messages
 * @returns {Identifier}
 * @throws {InvalidDeltaError}
 */
export function identifierFromJson(json, where = 'identifier') {
  if (!Array.isArray(json)) {
    throw new InvalidDeltaError(`${where}: id must be an array of [digit, site, counter]`);
  }
  if (json.length === 0) {
    throw new InvalidDeltaError(`${where}: id must have at least one level`);
  }
  /** @type {Identifier} */
  const triples = [];
  for (let level = 0; level < json.length; level++) {
    const triple = json[level];
    if (!Array.isArray(triple) || triple.length !== 3) {
      throw new InvalidDeltaError(`${where}: id level ${level} must be [digit, site, counter]`);
    }
    for (const part of triple) triples.push(nonNegativeInt(part, where));
  }
  return triples;
}

/** @param {Record<string, unknown>} op @param {string} where @returns {Operation} */
function operationFromJson(op, where) {
  const type = /** @type {string} */ (member(op, 'type', 'string', where));
  const id = identifierFromJson(member(op, 'id', 'array', where), where);
  switch (type) {
    case 'insert':
      return { type: 'insert', id, codePoint: singleCodePoint(op, where) };
    case 'delete':
      return { type: 'delete', id };
    default:
      throw new InvalidDeltaError(`${where}: unknown type ${JSON.stringify(type)}`);
  }
}

/** @param {Record<string, unknown>} op @param {string} where @returns {number} */
function singleCodePoint(op, where) {
  const text = /** @type {string} */ (member(op, 'text', 'string', where));
  const characters = [...text]; // code points; a lone surrogate counts as one
  if (characters.length !== 1) {
    throw new InvalidDeltaError(`${where}: text must be exactly one character`);
  }
  const codePoint = /** @type {number} */ (text.codePointAt(0));
  if (codePoint >= 0xd800 && codePoint <= 0xdfff) {
    throw new InvalidDeltaError(`${where}: text is not well-formed UTF-16 (lone surrogate)`);
  }
  return codePoint;
}

/** @param {unknown} value @returns {string} the JSON-P value type name, lower case */
function typeOf(value) {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (value === true) return 'true';
  if (value === false) return 'false';
  return typeof value; // 'object', 'string', 'number'
}

/** @param {unknown} json @param {string} where @returns {Record<string, unknown>} */
function object(json, where) {
  if (typeOf(json) !== 'object') {
    throw new InvalidDeltaError(`${where} must be a JSON object`);
  }
  return /** @type {Record<string, unknown>} */ (json);
}

/**
 * @param {Record<string, unknown>} object @param {string} name
 * @param {'array' | 'string'} type @param {string} where
 */
function member(object, name, type, where) {
  if (!Object.hasOwn(object, name)) {
    throw new InvalidDeltaError(`${where}: missing "${name}"`);
  }
  const value = object[name];
  if (typeOf(value) !== type) {
    throw new InvalidDeltaError(`${where}: "${name}" must be ${type}`);
  }
  return value;
}

/** @param {unknown} value @param {string} where @returns {number} */
function nonNegativeInt(value, where) {
  if (typeof value !== 'number') {
    throw new InvalidDeltaError(`${where}: identifier parts must be integers`);
  }
  if (!Number.isFinite(value) || (Number.isInteger(value) && (value > 0x7fffffff || value < -0x80000000))) {
    throw new InvalidDeltaError(`${where}: identifier part ${value} is out of range`);
  }
  if (!Number.isInteger(value)) {
    throw new InvalidDeltaError(`${where}: identifier parts must be integers`);
  }
  if (value < 0) {
    throw new InvalidDeltaError(`${where}: identifier parts are never negative`);
  }
  return value;
}

// ---------------------------------------------------------------------------------------------
// Binary

const VERSION = 1;
const INSERT = 0;
const DELETE = 1;
/** The smallest operation: kind, depth, shared (an identifier equal to the previous one). */
const MIN_OPERATION_BYTES = 3;

/** A growable byte buffer with LEB128 varints. */
class ByteWriter {
  constructor(capacity = 64) {
    this.bytes = new Uint8Array(Math.max(16, capacity));
    this.length = 0;
  }

  /** @param {number} extra */
  ensure(extra) {
    if (this.length + extra > this.bytes.length) {
      const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.length + extra));
      grown.set(this.bytes.subarray(0, this.length));
      this.bytes = grown;
    }
  }

  /** @param {number} value */
  writeByte(value) {
    this.ensure(1);
    this.bytes[this.length++] = value;
  }

  /** Unsigned LEB128 of the low 32 bits of `value`, shortest form. @param {number} value */
  writeVarint(value) {
    this.ensure(5);
    let rest = value >>> 0;
    while (rest > 0x7f) {
      this.bytes[this.length++] = (rest & 0x7f) | 0x80;
      rest >>>= 7;
    }
    this.bytes[this.length++] = rest;
  }

  /** Zigzag: 0, -1, 1, -2, ... as 0, 1, 2, 3, ... @param {number} value a 32-bit integer */
  writeSignedVarint(value) {
    this.writeVarint((value << 1) ^ (value >> 31));
  }

  /** @returns {Uint8Array} */
  toBytes() {
    return this.bytes.slice(0, this.length);
  }
}

/** Reads what ByteWriter wrote; every malformed input ends in an InvalidDeltaError. */
class ByteReader {
  /** @param {Uint8Array} bytes */
  constructor(bytes) {
    this.bytes = bytes;
    this.position = 0;
  }

  remaining() {
    return this.bytes.length - this.position;
  }

  readByte() {
    if (this.position >= this.bytes.length) {
      throw new InvalidDeltaError(`truncated: expected more bytes at offset ${this.position}`);
    }
    return this.bytes[this.position++];
  }

  /** A non-negative 32-bit (signed) integer, in at most five bytes. */
  readVarint() {
    const value = this.#readBits(0x07);
    return value;
  }

  /** A zigzag-encoded signed 32-bit integer. */
  readSignedVarint() {
    const raw = this.#readBits(0x0f);
    return (raw >>> 1) ^ -(raw & 1);
  }

  /** A big-endian 32-bit signed integer. */
  readInt() {
    let value = 0;
    for (let i = 0; i < 4; i++) value = (value << 8) | this.readByte();
    return value;
  }

  /**
   * A reader over the next `count` bytes, which this reader skips.
   * @param {number} count @returns {ByteReader}
   */
  slice(count) {
    return new ByteReader(this.readBytes(count));
  }

  /** @param {number} count @returns {Uint8Array} the next `count` bytes (a view, not a copy) */
  readBytes(count) {
    if (count > this.remaining()) {
      throw new InvalidDeltaError(`truncated: a section of ${count} bytes does not fit`);
    }
    const bytes = this.bytes.subarray(this.position, this.position + count);
    this.position += count;
    return bytes;
  }

  /** @param {string} what */
  expectEnd(what) {
    if (this.position !== this.bytes.length) {
      throw new InvalidDeltaError(`${this.remaining()} unexpected bytes after the ${what}`);
    }
  }

  /**
   * Up to five LEB128 bytes; the fifth may hold at most `lastMax` (0x07 for 31 bits, 0x0f for 32).
   * @param {number} lastMax @returns {number} as an unsigned integer
   */
  #readBits(lastMax) {
    let value = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      const b = this.readByte();
      value += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) {
        if (shift === 28 && b > lastMax) {
          throw new InvalidDeltaError(`varint out of range at offset ${this.position - 1}`);
        }
        return value >>> 0;
      }
    }
    throw new InvalidDeltaError(`varint longer than five bytes at offset ${this.position}`);
  }
}

/** Writes a run of identifiers, each relative to the previous one (docs/lseq.md, "Identifier runs"). */
class IdentifierWriter {
  /** @param {ByteWriter} out */
  constructor(out) {
    this.out = out;
    /** @type {Identifier | null} */
    this.previous = null;
    this.previousSite = 0;
    this.previousCounter = 0;
  }

  /** @param {Identifier} id */
  write(id) {
    const out = this.out;
    const previous = this.previous;
    const depth = id.length / 3;
    const shared = previous === null ? 0 : sharedLevels(previous, id);
    out.writeVarint(depth);
    out.writeVarint(shared);
    for (let level = shared; level < depth; level++) {
      const at = 3 * level;
      const base = level === shared && previous !== null && at < previous.length ? previous[at] : 0;
      out.writeSignedVarint(id[at] - base);
      out.writeSignedVarint(id[at + 1] - this.previousSite);
      this.previousSite = id[at + 1];
      out.writeSignedVarint(id[at + 2] - this.previousCounter);
      this.previousCounter = id[at + 2];
    }
    this.previous = id;
  }
}

/** @param {Identifier} a @param {Identifier} b @returns {number} leading levels equal in both */
function sharedLevels(a, b) {
  const limit = Math.min(a.length, b.length);
  let at = 0;
  while (at < limit && a[at] === b[at] && a[at + 1] === b[at + 1] && a[at + 2] === b[at + 2]) at += 3;
  return at / 3;
}

/**
 * Reads what IdentifierWriter wrote, checking every count before trusting it: from one stream (a
 * delta) or from four (a snapshot's structure, digits, sites and counters).
 */
class IdentifierReader {
  /** @param {ByteReader} structure @param {ByteReader} [digits] @param {ByteReader} [sites] @param {ByteReader} [counters] */
  constructor(structure, digits = structure, sites = structure, counters = structure) {
    this.structure = structure;
    this.digits = digits;
    this.sites = sites;
    this.counters = counters;
    /** @type {Identifier} */
    this.previous = [];
    this.previousSite = 0;
    this.previousCounter = 0;
  }

  /** @returns {Identifier} checked for shape; the replica checks it against its parameters */
  read() {
    const depth = this.structure.readVarint();
    const shared = this.structure.readVarint();
    if (depth === 0 || depth > MAX_DEPTH) {
      throw new InvalidDeltaError(`identifier depth ${depth} outside 1..${MAX_DEPTH}`);
    }
    if (shared > depth || 3 * shared > this.previous.length) {
      throw new InvalidDeltaError(`identifier shares ${shared} levels it does not have`);
    }
    const triples = this.previous.slice(0, 3 * shared);
    for (let level = shared; level < depth; level++) {
      const at = 3 * level;
      const base = level === shared && at < this.previous.length ? this.previous[at] : 0;
      // 32-bit wrapping sums, as in Java: a wrapped value turns negative and is refused.
      const digit = (base + this.digits.readSignedVarint()) | 0;
      const site = (this.previousSite + this.sites.readSignedVarint()) | 0;
      const counter = (this.previousCounter + this.counters.readSignedVarint()) | 0;
      if (digit < 0 || site < 0 || counter < 0) {
        throw new InvalidDeltaError('negative digit, site or counter in identifier');
      }
      triples.push(digit, site, counter);
      this.previousSite = site;
      this.previousCounter = counter;
    }
    this.previous = triples;
    return triples;
  }
}

/**
 * The binary form of a delta: version 1, operation count, then per operation its kind (0 insert,
 * 1 delete), its identifier (one run for the delta) and, for an insert, its code point.
 * @param {Delta} delta @returns {Uint8Array}
 */
export function encodeBinaryDelta(delta) {
  const out = new ByteWriter(8 + 12 * delta.ops.length);
  out.writeByte(VERSION);
  out.writeVarint(delta.ops.length);
  const ids = new IdentifierWriter(out);
  for (const op of delta.ops) {
    out.writeByte(op.type === 'insert' ? INSERT : DELETE);
    ids.write(op.id);
    if (op.type === 'insert') out.writeVarint(op.codePoint);
  }
  return out.toBytes();
}

/**
 * @param {Uint8Array} bytes exactly one binary delta
 * @returns {Delta}
 * @throws {InvalidDeltaError} on trailing bytes, unknown versions or kinds, truncation, bad
 *     varints, impossible counts, or code points that are not Unicode scalar values
 */
export function decodeBinaryDelta(bytes) {
  const input = new ByteReader(bytes);
  const version = input.readByte();
  if (version !== VERSION) {
    throw new InvalidDeltaError(`unknown binary delta version ${version}`);
  }
  const count = input.readVarint();
  if (count > Math.floor(input.remaining() / MIN_OPERATION_BYTES)) {
    throw new InvalidDeltaError(`a delta of ${bytes.length} bytes cannot hold ${count} operations`);
  }
  const ids = new IdentifierReader(input);
  /** @type {Operation[]} */
  const ops = [];
  for (let i = 0; i < count; i++) {
    const kind = input.readByte();
    if (kind === INSERT) {
      const id = ids.read();
      const codePoint = input.readVarint();
      if (!isScalarValue(codePoint)) {
        throw new InvalidDeltaError(`not a Unicode scalar value: ${codePoint}`);
      }
      ops.push({ type: 'insert', id, codePoint });
    } else if (kind === DELETE) {
      ops.push({ type: 'delete', id: ids.read() });
    } else {
      throw new InvalidDeltaError(`unknown operation kind ${kind}`);
    }
  }
  input.expectEnd('delta');
  return { ops };
}

// ---------------------------------------------------------------------------------------------
// Snapshot

const SNAPSHOT_MAGIC = [0x46, 0x4c, 0x53, 0x32]; // "FLS2"
/** The version before the received counters were kept ("FLS1"): it ends at the text. */
const FIRST_SNAPSHOT_VERSION = 0x31;
const SNAPSHOT_HEADER_BYTES = 8;
/** A snapshot inflating past this is refused rather than exhausting memory (as in Java). */
const MAX_SNAPSHOT_BODY_BYTES = 256 << 20;

/**
 * A new replica holding a snapshot's text, identifiers, delete memory and received counters,
 * editing as `site` from `nextCounter` (docs/lseq.md, "Snapshot"):
 * `"FLS2" int32be(body length) zlib(body)`, body = `varint(rootBaseBits) varint(boundary)
 * int32be(strategySeed) varint(live characters) varint(remembered deletes)` then the sections
 * structure, digits, sites, counters, deleted and text (UTF-8), each as `varint(length) bytes`,
 * then `varint(sites) varint(length) received`. "FLS1" snapshots end at the text.
 * @param {Uint8Array<ArrayBuffer> | ArrayBuffer} bytes exactly one snapshot (not in shared memory)
 * @param {number} site this replica's site number, unique among the document's replicas
 * @param {number} nextCounter the counter of the site's next insert
 * @returns {Promise<Replica>}
 * @throws {InvalidDeltaError} (as a rejection) if the bytes are not a well-formed snapshot;
 *     RangeError for a bad site or nextCounter
 */
export async function decodeSnapshot(bytes, site, nextCounter) {
  new Replica(site, { nextCounter }); // refuses a bad site or counter before any work
  const input = bytes instanceof ArrayBuffer ? new Uint8Array(bytes) : bytes;
  if (!(input instanceof Uint8Array)) {
    throw new InvalidDeltaError('a snapshot is a Uint8Array or an ArrayBuffer');
  }
  const keepsReceived = input[3] !== FIRST_SNAPSHOT_VERSION;
  const body = new ByteReader(await inflateSnapshot(input));

  let parameters;
  try {
    parameters = new LseqParameters(body.readVarint(), body.readVarint(), body.readInt());
  } catch (e) {
    if (e instanceof InvalidDeltaError) throw e;
    throw new InvalidDeltaError(`snapshot has invalid parameters: ${/** @type {Error} */ (e).message}`, { cause: e });
  }
  const elementCount = body.readVarint();
  const deletedCount = body.readVarint();
  const ids = new IdentifierReader(
    body.slice(body.readVarint()),
    body.slice(body.readVarint()),
    body.slice(body.readVarint()),
    body.slice(body.readVarint()),
  );
  const deleted = body.slice(body.readVarint());
  // Like Java's new String(bytes, UTF_8): malformed sequences become U+FFFD, a BOM is kept.
  const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(body.readBytes(body.readVarint()));
  const receivedCount = keepsReceived ? body.readVarint() : 0;
  const receivedBytes = keepsReceived ? body.slice(body.readVarint()) : new ByteReader(new Uint8Array(0));
  body.expectEnd('snapshot');
  /** @type {number[]} */
  const codePoints = [];
  for (const character of text) codePoints.push(/** @type {number} */ (character.codePointAt(0)));
  if (codePoints.length !== elementCount) {
    throw new InvalidDeltaError(`snapshot text has ${codePoints.length} characters for ${elementCount}`);
  }

  /** @type {Identifier[]} */
  const identifiers = [];
  for (let i = 0; i < elementCount; i++) identifiers.push(ids.read());
  /** @type {Array<[number, number]>} */
  const deletes = [];
  let deletedSite = 0;
  let counter = 0;
  for (let i = 0; i < deletedCount; i++) {
    deletedSite = (deletedSite + deleted.readSignedVarint()) | 0;
    counter = (counter + deleted.readSignedVarint()) | 0;
    if (deletedSite < 0 || counter < 0) {
      throw new InvalidDeltaError('snapshot holds a negative site or counter among its deletes');
    }
    deletes.push([deletedSite, counter]);
  }
  deleted.expectEnd("snapshot's deletes");
  /** @type {Array<[number, number]>} */
  const received = [];
  let receivedSite = 0;
  for (let i = 0; i < receivedCount; i++) {
    const step = receivedBytes.readVarint();
    receivedSite = (receivedSite + step) | 0;
    const highest = receivedBytes.readVarint();
    if ((i > 0 && step === 0) || receivedSite < 0 || highest < 0) {
      throw new InvalidDeltaError("snapshot's received counters are not by increasing site");
    }
    received.push([receivedSite, highest]);
  }
  receivedBytes.expectEnd("snapshot's received counters");
  return Replica.fromState(site, { nextCounter, parameters }, { identifiers, codePoints, deleted: deletes, received });
}

/**
 * Checks the header and inflates the body, never past the announced length (so a forged length
 * or a deflate bomb cannot make it allocate more than the snapshot claims, at most 256 MiB).
 * @param {Uint8Array<ArrayBuffer>} snapshot @returns {Promise<Uint8Array>}
 */
async function inflateSnapshot(snapshot) {
  const header = new ByteReader(snapshot);
  for (const [i, expected] of SNAPSHOT_MAGIC.entries()) {
    const found = header.readByte();
    const older = i === SNAPSHOT_MAGIC.length - 1 && found === FIRST_SNAPSHOT_VERSION;
    if (found !== expected && !older) {
      throw new InvalidDeltaError('not a Folio LSEQ snapshot');
    }
  }
  const length = header.readInt();
  if (length < 0 || length > MAX_SNAPSHOT_BODY_BYTES) {
    throw new InvalidDeltaError(`snapshot body of ${length} bytes is out of range`);
  }
  const compressed = snapshot.subarray(SNAPSHOT_HEADER_BYTES);
  const body = /** @type {Uint8Array} */ (await inflate(compressed, length)); // not probing: never null
  if (body.length !== length) {
    throw new InvalidDeltaError(`snapshot body is shorter than announced (${body.length} of ${length} bytes)`);
  }
  // Bytes after the end of the zlib stream: browsers' DecompressionStream refuses them, Node's
  // ignores them. Decide the same everywhere: the stream ends before the last byte exactly when
  // the input without its last byte (a byte of the Adler-32 trailer otherwise) still inflates.
  if (compressed.length > 0 && (await inflate(compressed.subarray(0, compressed.length - 1), length, true)) !== null) {
    throw new InvalidDeltaError('unexpected bytes after the snapshot body');
  }
  return body;
}

/**
 * Inflates zlib data incrementally, refusing output past `limit` bytes.
 * @param {Uint8Array<ArrayBuffer>} compressed not shared memory: DecompressionStream refuses it
 * @param {number} limit
 * @param {boolean} [probe] resolve to null instead of rejecting when the data is not complete
 * @returns {Promise<Uint8Array | null>} null only when probing
 */
async function inflate(compressed, limit, probe = false) {
  const stream = new DecompressionStream('deflate');
  const writer = stream.writable.getWriter();
  // Errors surface through the reader; these promises only must not go unhandled.
  writer
    .write(compressed)
    .then(() => writer.close())
    .catch(() => {});
  const reader = stream.readable.getReader();
  /** @type {Uint8Array[]} */
  const chunks = [];
  let size = 0;
  try {
    for (;;) {
      let result;
      try {
        result = await reader.read();
      } catch (e) {
        if (probe) return null;
        throw new InvalidDeltaError(
          `snapshot body is not valid deflate data or is truncated: ${/** @type {Error} */ (e)?.message}`,
          { cause: e },
        );
      }
      if (result.done) break;
      const chunk = result.value;
      if (!(chunk instanceof Uint8Array)) {
        throw new InvalidDeltaError('snapshot body did not inflate to bytes');
      }
      size += chunk.length;
      if (size > limit) {
        throw new InvalidDeltaError('snapshot body is longer than announced');
      }
      chunks.push(chunk);
    }
  } catch (e) {
    reader.cancel().catch(() => {});
    throw e;
  }
  const body = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    body.set(chunk, at);
    at += chunk.length;
  }
  return body;
}
