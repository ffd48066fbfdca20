// The wire forms of an LSEQ delta (docs/lseq.md, "Encodings"): the JSON form the WebSocket
// protocol carries and the compact binary form, both ways, with the validation of the Java codecs
// (dev.folio.lseq.json.JsonDeltaCodec, dev.folio.lseq.BinaryDeltaCodec).

import { InvalidDeltaError, MAX_DEPTH, isScalarValue } from './lseq.js';

/** @typedef {import('./lseq.js').Identifier} Identifier */
/** @typedef {import('./lseq.js').Operation} Operation */
/** @typedef {import('./lseq.js').Delta} Delta */

/**
 * The JSON form of an identifier: its levels as [digit, site, counter].
 * @param {Identifier} id @returns {number[][]}
 */
export function identifierToJson(id) {
  const levels = [];
  for (let i = 0; i < id.length; i += 3) levels.push([id[i], id[i + 1], id[i + 2]]);
  return levels;
}

/**
 * The JSON form of a delta, members in the documented order:
 * `{"ops":[{"type":"insert","id":[[d,s,c],...],"text":"a"},{"type":"delete","id":[...]}]}`.
 * @param {Delta} delta @returns {{ops: object[]}}
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

/** Reads what IdentifierWriter wrote, checking every count before trusting it. */
class IdentifierReader {
  /** @param {ByteReader} input */
  constructor(input) {
    this.input = input;
    /** @type {Identifier} */
    this.previous = [];
    this.previousSite = 0;
    this.previousCounter = 0;
  }

  /** @returns {Identifier} checked for shape; the replica checks it against its parameters */
  read() {
    const input = this.input;
    const depth = input.readVarint();
    const shared = input.readVarint();
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
      const digit = (base + input.readSignedVarint()) | 0;
      const site = (this.previousSite + input.readSignedVarint()) | 0;
      const counter = (this.previousCounter + input.readSignedVarint()) | 0;
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
