// Folio's LSEQ sequence CRDT for the browser, written from docs/lseq.md. It allocates the same
// identifiers as the Java core (ejb/src/main/java/dev/folio/lseq) and both are checked against
// docs/lseq-vectors.json. No dependencies but element-list.js; an ES module for browsers and Node 20.

import { ElementList } from './element-list.js';

/**
 * An identifier: the levels' triples stored flat, `[digit0, site0, counter0, digit1, ...]`.
 * Non-empty, a whole number of triples, every value a non-negative 32-bit integer.
 * @typedef {number[]} Identifier
 */

/**
 * One operation of a delta: a character (a Unicode code point) inserted at, or deleted from, an
 * identifier.
 * @typedef {{type: 'insert', id: Identifier, codePoint: number} | {type: 'delete', id: Identifier}} Operation
 */

/**
 * A batch of operations, applied as a whole or, if any is invalid, not at all.
 * @typedef {{ops: Operation[]}} Delta
 */

/**
 * The effect of one applied operation on the text, in code point indexes.
 * @typedef {{index: number, codePoint: number}} TextChange  codePoint is -1 for a deletion
 */

/**
 * @typedef {{levels: Uint16Array, parts: Int32Array, codePoints: Uint32Array, deleted: Int32Array}} PackedState
 */

/** Digits stay below 2^30 so that they fit JavaScript's 32-bit bit operations. */
export const MAX_BASE_BITS = 30;
/** Deeper identifiers are refused (LseqParameters.MAX_DEPTH in Java). */
export const MAX_DEPTH = 256;
/** The largest site counter; a site that would pass it must continue under a new site. */
export const MAX_COUNTER = 0x7fffffff;
const MAX_INT = 0x7fffffff;

/** A delta that breaks a rule of docs/lseq.md ("Validation", "Encodings"); nothing was applied. */
export class InvalidDeltaError extends Error {
  /** @param {string} message @param {{cause?: unknown}} [options] */
  constructor(message, options) {
    super(message, options);
    this.name = 'InvalidDeltaError';
  }
}

/**
 * MurmurHash3's 32-bit finalizer, as an unsigned 32-bit integer (`| 0` gives Java's signed int).
 * @param {number} h a 32-bit integer, signed or unsigned
 * @returns {number}
 */
export function mix32(h) {
  h >>>= 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * The constants every replica of a document shares (docs/lseq.md, "Parameters").
 */
export class LseqParameters {
  /**
   * @param {number} rootBaseBits depth 0 has 2^rootBaseBits digits; 1..30
   * @param {number} boundary the widest step an allocation takes from its neighbour; >= 1
   * @param {number} strategySeed any 32-bit integer; decides boundary+ or boundary- per depth
   */
  constructor(rootBaseBits, boundary, strategySeed) {
    if (!Number.isInteger(rootBaseBits) || rootBaseBits < 1 || rootBaseBits > MAX_BASE_BITS) {
      throw new RangeError(`rootBaseBits must be in 1..${MAX_BASE_BITS}: ${rootBaseBits}`);
    }
    if (!Number.isInteger(boundary) || boundary < 1 || boundary > MAX_INT) {
      throw new RangeError(`boundary must be a positive 32-bit integer: ${boundary}`);
    }
    if (!Number.isInteger(strategySeed) || strategySeed < -0x80000000 || strategySeed > 0xffffffff) {
      throw new RangeError(`strategySeed must be a 32-bit integer: ${strategySeed}`);
    }
    /** @readonly */ this.rootBaseBits = rootBaseBits;
    /** @readonly */ this.boundary = boundary;
    /** @readonly as a signed 32-bit integer, like Java's int */
    this.strategySeed = strategySeed | 0;
    /** @type {boolean[]} */
    this._plus = [];
    /** base(depth), computed once: it is asked for every level of every identifier checked. @type {number[]} */
    this._bases = [];
    Object.freeze(this);
  }

  /** @param {number} depth @returns {number} bits of a digit at this depth */
  baseBits(depth) {
    return Math.min(this.rootBaseBits + depth, MAX_BASE_BITS);
  }

  /** @param {number} depth @returns {number} digits at this depth run from 0 to base - 1 */
  base(depth) {
    return (this._bases[depth] ??= 2 ** this.baseBits(depth));
  }

  /** @param {number} depth @returns {boolean} true if allocations at this depth hug the left neighbour */
  boundaryPlus(depth) {
    let plus = this._plus[depth];
    if (plus === undefined) {
      plus = (mix32((this.strategySeed + Math.imul(depth, 0x9e3779b9)) | 0) & 1) === 0;
      this._plus[depth] = plus;
    }
    return plus;
  }

  /**
   * The distance, in 1..step, an allocation keeps from the neighbour it hugs.
   * @param {number} site @param {number} counter @param {number} depth @param {number} step
   * @returns {number}
   */
  offset(site, counter, depth, step) {
    const hash = mix32(mix32(mix32(this.strategySeed ^ depth) ^ site) ^ counter);
    return 1 + (hash % step);
  }

  /**
   * Checks that `id` is well formed and could have been allocated under these parameters.
   * @param {unknown} id
   * @throws {InvalidDeltaError} naming the first rule the identifier breaks
   */
  check(id) {
    checkShape(id);
    const ids = /** @type {Identifier} */ (id);
    const depth = ids.length / 3;
    if (depth > MAX_DEPTH) {
      throw new InvalidDeltaError(`identifier has ${depth} levels, more than ${MAX_DEPTH}`);
    }
    for (let level = 0; level < depth; level++) {
      const digit = ids[3 * level];
      if (digit >= this.base(level)) {
        throw new InvalidDeltaError(`digit ${digit} at depth ${level} is outside its base ${this.base(level)}`);
      }
    }
    if (ids[ids.length - 3] === 0) {
      throw new InvalidDeltaError(`the last digit of an identifier is never 0: ${formatIdentifier(ids)}`);
    }
  }
}

/** The parameters Folio documents use: 2^12 root digits, boundary 10, seed "LSEQ". */
export const DEFAULT_PARAMETERS = new LseqParameters(12, 10, 0x4c534551);

/**
 * Identifier.of in Java: empty, partial triples, or values that are not non-negative 32-bit
 * integers are refused.
 * @param {unknown} id
 */
function checkShape(id) {
  if (!Array.isArray(id) || id.length === 0) {
    throw new InvalidDeltaError('an identifier needs at least one level');
  }
  if (id.length % 3 !== 0) {
    throw new InvalidDeltaError('an identifier is made of (digit, site, counter) triples');
  }
  for (const value of id) {
    if (!Number.isInteger(value) || value > MAX_INT) {
      throw new InvalidDeltaError(`digits, sites and counters are 32-bit integers: ${value}`);
    }
    if (value < 0) {
      throw new InvalidDeltaError(`digits, sites and counters are never negative: ${value}`);
    }
  }
}

/**
 * Orders identifiers: lexicographically as flat integer lists, a prefix first.
 * @param {Identifier} a @param {Identifier} b
 * @returns {number} negative, 0 or positive
 */
export function compareIdentifiers(a, b) {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  }
  return a.length - b.length;
}

/** @param {Identifier} a @param {Identifier} b @returns {boolean} */
export function sameIdentifier(a, b) {
  return compareIdentifiers(a, b) === 0;
}

/** Like `[12:3:40 7:3:41]`, digit:site:counter per level, as Java's toString. @param {Identifier} id */
export function formatIdentifier(id) {
  const levels = [];
  for (let i = 0; i + 2 < id.length; i += 3) levels.push(`${id[i]}:${id[i + 1]}:${id[i + 2]}`);
  return `[${levels.join(' ')}]`;
}

/**
 * An identifier strictly between `left` and `right` for the insert (site, counter), exactly as
 * docs/lseq.md, "Allocation", describes.
 * @param {Identifier | null} left null at the start of the document
 * @param {Identifier | null} right null at the end of the document
 * @param {number} site @param {number} counter
 * @param {LseqParameters} [parameters]
 * @returns {Identifier}
 */
export function between(left, right, site, counter, parameters = DEFAULT_PARAMETERS) {
  /** @type {Identifier} */
  const path = [];
  let bounded = right !== null; // is path still a prefix of right?
  for (let depth = 0; ; depth++) {
    const at = 3 * depth;
    const leftHasLevel = left !== null && at < left.length;
    const low = leftHasLevel ? left[at] : 0;
    const high = bounded ? /** @type {Identifier} */ (right)[at] : parameters.base(depth);
    const room = high - low - 1;
    if (room >= 1) {
      const step = Math.min(parameters.boundary, room);
      const offset = parameters.offset(site, counter, depth, step);
      const digit = parameters.boundaryPlus(depth) ? low + offset : high - offset;
      path.push(digit, site, counter);
      return path;
    }
    if (leftHasLevel) {
      path.push(left[at], left[at + 1], left[at + 2]);
      const r = /** @type {Identifier} */ (right);
      bounded = bounded && left[at] === r[at] && left[at + 1] === r[at + 1] && left[at + 2] === r[at + 2];
    } else if (high === 1) {
      path.push(0, site, counter); // 0 sorts before 1 and is never a last digit
      bounded = false;
    } else {
      const r = /** @type {Identifier} */ (right); // high === 0: follow right's 0 digit down
      path.push(r[at], r[at + 1], r[at + 2]);
    }
  }
}

/**
 * The code points of `text`, refusing lone surrogates.
 * @param {string} text @returns {number[]}
 */
function codePointsOf(text) {
  const codePoints = [];
  for (const character of text) {
    const codePoint = /** @type {number} */ (character.codePointAt(0));
    if (codePoint >= 0xd800 && codePoint <= 0xdfff) {
      throw new RangeError(`text is not well-formed UTF-16: lone surrogate at code point ${codePoint.toString(16)}`);
    }
    codePoints.push(codePoint);
  }
  return codePoints;
}

/** @param {unknown} codePoint @returns {boolean} true for a Unicode scalar value */
export function isScalarValue(codePoint) {
  // typeof narrows for the checker; Number.isInteger alone already refuses every non-number.
  return (
    typeof codePoint === 'number' &&
    Number.isInteger(codePoint) &&
    codePoint >= 0 &&
    codePoint <= 0x10ffff &&
    !(codePoint >= 0xd800 && codePoint <= 0xdfff)
  );
}

/**
 * The remembered deletes (docs/lseq.md, "Forgetting deletes"): a set of (site, counter) pairs,
 * and the same pairs in mark order so that the oldest can be forgotten. Both in Int32Arrays: an
 * open-addressing hash table with linear probing (site -1 marks an empty slot; a forgotten pair's
 * followers are shifted back, so no tombstones) and a queue. About 29 bytes a pair on the
 * automerge-paper trace, where a Set of counters per site and two arrays took 57.
 */
class DeleteMemory {
  /** Pairs (site, counter) by slot; capacity a power of two, at most three quarters used. */
  #table = new Int32Array(32).fill(-1);
  #mask = 15;
  #size = 0;
  /** The pairs in mark order, flat; those before #head are forgotten. */
  #queue = new Int32Array(32);
  #head = 0;
  #end = 0;
  /** The mark of the pair at #head. */
  #firstMark = 0;

  get size() {
    return this.#size;
  }

  /** @param {number} site @param {number} counter */
  #slotOf(site, counter) {
    let h = Math.imul(site, 0x9e3779b1) ^ counter;
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
    return (h ^ (h >>> 16)) & this.#mask;
  }

  /** @param {number} site @param {number} counter @returns {number} its slot, or -1 */
  #find(site, counter) {
    const table = this.#table;
    for (let i = this.#slotOf(site, counter); ; i = (i + 1) & this.#mask) {
      const s = table[2 * i];
      if (s === -1) return -1;
      if (s === site && table[2 * i + 1] === counter) return i;
    }
  }

  /** @param {number} site @param {number} counter */
  has(site, counter) {
    return this.#find(site, counter) >= 0;
  }

  /** @param {number} site @param {number} counter */
  remember(site, counter) {
    if (this.#find(site, counter) >= 0) return;
    if (4 * (this.#size + 1) > 3 * (this.#mask + 1)) this.#resize(2 * (this.#mask + 1));
    this.#put(site, counter);
    this.#size++;
    if (this.#end + 2 > this.#queue.length) {
      const grown = new Int32Array(Math.max(32, 2 * (this.#end - this.#head) + 2));
      grown.set(this.#queue.subarray(this.#head, this.#end));
      this.#end -= this.#head;
      this.#head = 0;
      this.#queue = grown;
    }
    this.#queue[this.#end++] = site;
    this.#queue[this.#end++] = counter;
  }

  /** @param {number} site @param {number} counter */
  #put(site, counter) {
    const table = this.#table;
    let i = this.#slotOf(site, counter);
    while (table[2 * i] !== -1) i = (i + 1) & this.#mask;
    table[2 * i] = site;
    table[2 * i + 1] = counter;
  }

  /** @param {number} capacity a power of two */
  #resize(capacity) {
    const old = this.#table;
    this.#table = new Int32Array(2 * capacity).fill(-1);
    this.#mask = capacity - 1;
    for (let i = 0; i < old.length; i += 2) if (old[i] !== -1) this.#put(old[i], old[i + 1]);
  }

  /** Removes a pair, shifting back those that probed past it. @param {number} site @param {number} counter */
  #remove(site, counter) {
    const table = this.#table;
    const mask = this.#mask;
    let hole = this.#find(site, counter);
    if (hole < 0) return;
    for (let j = (hole + 1) & mask; table[2 * j] !== -1; j = (j + 1) & mask) {
      const home = this.#slotOf(table[2 * j], table[2 * j + 1]);
      // The pair at j stays if its home lies cyclically in (hole, j]; else it moves into the hole.
      const stays = hole <= j ? hole < home && home <= j : hole < home || home <= j;
      if (stays) continue;
      table[2 * hole] = table[2 * j];
      table[2 * hole + 1] = table[2 * j + 1];
      hole = j;
    }
    table[2 * hole] = -1;
    this.#size--;
  }

  /** The mark the next remembered pair gets. */
  nextMark() {
    return this.#firstMark + (this.#end - this.#head) / 2;
  }

  /** @param {number} mark @returns {number} how many pairs were forgotten */
  forgetBefore(mark) {
    let forgotten = 0;
    while (this.#firstMark < mark && this.#head < this.#end) {
      this.#remove(this.#queue[this.#head], this.#queue[this.#head + 1]);
      this.#head += 2;
      this.#firstMark++;
      forgotten++;
    }
    if (this.#head === this.#end) {
      this.#head = this.#end = 0;
      if (this.#queue.length > 1024) this.#queue = new Int32Array(32);
    }
    if (this.#size === 0 && this.#mask > 15) {
      this.#table = new Int32Array(32).fill(-1);
      this.#mask = 15;
    }
    return forgotten;
  }

  /** @returns {Array<[number, number]>} the pairs in mark order */
  pairs() {
    /** @type {Array<[number, number]>} */
    const pairs = [];
    for (let i = this.#head; i < this.#end; i += 2) pairs.push([this.#queue[i], this.#queue[i + 1]]);
    return pairs;
  }

  /** @returns {Int32Array} the pairs in mark order, flat */
  packed() {
    return this.#queue.slice(this.#head, this.#end);
  }
}

/**
 * One copy of an LSEQ sequence. Local edits by (code point) index return the delta to send to the
 * other replicas; remote deltas are applied by identifier, in any order, any number of times.
 *
 * Characters are kept in an {@link ElementList}: leaves of identifiers stored flat with a Fenwick
 * tree over them, so that an operation costs O(log n) plus a leaf's worth of moving, whatever the
 * document's size.
 */
export class Replica {
  #elements = new ElementList();
  #deleted = new DeleteMemory();
  /** The highest counter received from each site (docs/lseq.md, "Forgetting deletes"). @type {Map<number, number>} */
  #received = new Map();
  #site;
  #nextCounter;
  #parameters;

  /**
   * @param {number} site this replica's site number, unique among all replicas of the document
   * @param {{nextCounter?: number, parameters?: LseqParameters}} [options] nextCounter: the counter of
   *     the site's next insert (a resuming site continues after the highest it used)
   */
  constructor(site, { nextCounter = 0, parameters = DEFAULT_PARAMETERS } = {}) {
    if (!Number.isInteger(site) || site < 0 || site > MAX_INT) {
      throw new RangeError(`site must be a non-negative 32-bit integer: ${site}`);
    }
    if (!Number.isInteger(nextCounter) || nextCounter < 0 || nextCounter > MAX_COUNTER + 1) {
      throw new RangeError(`nextCounter must be a non-negative 32-bit integer: ${nextCounter}`);
    }
    this.#site = site;
    this.#nextCounter = nextCounter;
    this.#parameters = parameters;
  }

  /**
   * A replica filled with given state (what a snapshot holds), editing as `site`. Checks every
   * identifier against the parameters, that they strictly increase, and the characters and deletes.
   * @param {number} site
   * @param {{nextCounter?: number, parameters?: LseqParameters}} options as for the constructor
   * @param {{identifiers: Identifier[], codePoints: number[], deleted: Array<[number, number]>, received?: Array<[number, number]>}} state
   *     the live identifiers in document order with their code points, the remembered deletes'
   *     (site, counter) pairs in mark order, and each site's highest counter received (beyond
   *     those of the live and remembered inserts)
   * @returns {Replica}
   * @throws {InvalidDeltaError} if the state breaks a rule; RangeError for a bad site or counter
   */
  static fromState(site, options, { identifiers, codePoints, deleted, received = [] }) {
    const replica = new Replica(site, options);
    const parameters = replica.#parameters;
    if (identifiers.length !== codePoints.length) {
      throw new InvalidDeltaError(`${codePoints.length} characters for ${identifiers.length} identifiers`);
    }
    for (let i = 0; i < identifiers.length; i++) {
      parameters.check(identifiers[i]);
      if (i > 0 && compareIdentifiers(identifiers[i - 1], identifiers[i]) >= 0) {
        throw new InvalidDeltaError(`identifiers are out of order at element ${i}`);
      }
      if (!isScalarValue(codePoints[i])) {
        throw new InvalidDeltaError(`not a Unicode scalar value: ${codePoints[i]}`);
      }
    }
    const elements = replica.#elements;
    for (let i = 0; i < identifiers.length; i++) {
      const id = identifiers[i];
      elements.append(id, codePoints[i]);
      replica.#receive(id[id.length - 2], id[id.length - 1]);
    }
    elements.finishAppending();
    for (const [deletedSite, counter] of deleted) {
      checkShape([0, deletedSite, counter]);
      replica.#deleted.remember(deletedSite, counter);
      replica.#receive(deletedSite, counter);
    }
    for (const [receivedSite, counter] of received) {
      checkShape([0, receivedSite, counter]);
      replica.#receive(receivedSite, counter);
    }
    return replica;
  }

  /** This replica's site number. */
  get site() {
    return this.#site;
  }

  /** The counter of this site's next insert. */
  get nextCounter() {
    return this.#nextCounter;
  }

  /**
   * Makes this site's next insert use at least `counter` (never less than now): a replica
   * rebuilt from a snapshot while this site kept inserting must not hand out those counters again.
   * @param {number} counter
   */
  advanceCounter(counter) {
    if (!Number.isInteger(counter) || counter < 0 || counter > MAX_COUNTER + 1) {
      throw new RangeError(`nextCounter must be a non-negative 32-bit integer: ${counter}`);
    }
    this.#nextCounter = Math.max(this.#nextCounter, counter);
  }

  get parameters() {
    return this.#parameters;
  }

  /** Number of characters (code points). */
  get length() {
    return this.#elements.size;
  }

  /** @returns {string} */
  text() {
    return this.#elements.text();
  }

  /** @param {number} index @returns {Identifier} a copy of the identifier at `index` */
  identifierAt(index) {
    this.#checkIndex(index, this.length - 1);
    return this.#elements.idAt(index);
  }

  /** @returns {Identifier[]} every live identifier, in document order (copies) */
  identifiers() {
    /** @type {Identifier[]} */
    const ids = [];
    this.#elements.forEach((parts, start, end) => {
      /** @type {Identifier} */
      const id = new Array(end - start);
      for (let k = start; k < end; k++) id[k - start] = parts[k];
      ids.push(id);
    });
    return ids;
  }

  /**
   * Inserts `text` so that its first character ends up at `index`.
   * @param {number} index a code point index in 0..length
   * @param {string} text
   * @returns {Delta} one insert per code point, in typing order
   * @throws {RangeError} for a bad index, lone surrogates, a place with no room left within
   *     MAX_DEPTH, or a site out of counters; nothing changes then
   */
  insert(index, text) {
    this.#checkIndex(index, this.length);
    const codePoints = codePointsOf(text);
    if (this.#nextCounter + codePoints.length > MAX_COUNTER + 1) {
      throw new RangeError(`site ${this.#site} has used all its counters; edit under a new site`);
    }
    let left = index === 0 ? null : this.#elements.idAt(index - 1);
    const right = index === this.length ? null : this.#elements.idAt(index);
    /** @type {Identifier[]} */
    const ids = [];
    for (let i = 0; i < codePoints.length; i++) {
      const id = between(left, right, this.#site, this.#nextCounter + i, this.#parameters);
      if (id.length / 3 > MAX_DEPTH) {
        throw new RangeError(`no room left at index ${index}: the identifier would be deeper than ${MAX_DEPTH} levels`);
      }
      ids.push(id);
      left = id;
    }
    this.#nextCounter += codePoints.length;
    if (codePoints.length > 0) this.#receive(this.#site, this.#nextCounter - 1);
    this.#elements.insertRunAt(index, ids, codePoints);
    // The list keeps copies of the identifiers, so these arrays can go out as they are.
    return {
      ops: ids.map((id, i) => ({ type: /** @type {const} */ ('insert'), id, codePoint: codePoints[i] })),
    };
  }

  /**
   * Deletes `count` characters from `index` on.
   * @param {number} index @param {number} count
   * @returns {Delta} one delete per removed identifier, in document order
   */
  delete(index, count) {
    if (!Number.isInteger(count) || count < 0) {
      throw new RangeError(`cannot delete a count of ${count}`);
    }
    this.#checkIndex(index, this.length);
    this.#checkIndex(index + count, this.length);
    const removed = this.#elements.removeRange(index, count);
    for (const id of removed) this.#deleted.remember(id[id.length - 2], id[id.length - 1]);
    return { ops: removed.map((id) => ({ type: /** @type {const} */ ('delete'), id })) };
  }

  /**
   * Applies a delta from another replica. Every operation is checked first; if any is invalid,
   * nothing is applied. Repeated operations, inserts of deleted characters and deletes of unseen
   * ones change nothing visible (the last are remembered until their insert arrives).
   * @param {Delta} delta
   * @returns {TextChange[]} the changes to the text, in the order they happened
   * @throws {InvalidDeltaError}
   */
  apply(delta) {
    const ops = this.#checkApplicable(delta);
    /** @type {TextChange[]} */
    const changes = [];
    const elements = this.#elements;
    for (const op of ops) {
      const id = op.id;
      const site = id[id.length - 2];
      const counter = id[id.length - 1];
      if (op.type === 'insert') {
        this.#receive(site, counter);
        if (this.#deleted.has(site, counter)) continue;
        const index = elements.insert(id, op.codePoint);
        if (index >= 0) changes.push({ index, codePoint: op.codePoint });
      } else {
        if (this.#deleted.has(site, counter)) continue;
        this.#deleted.remember(site, counter);
        const index = elements.remove(id);
        if (index >= 0) changes.push({ index, codePoint: -1 });
      }
    }
    return changes;
  }

  /**
   * Where a position named by `id` is now: the number of characters whose identifier is at most
   * `id`. Works whether or not `id` is (still) in the document, so a caret kept as "just after
   * this character" survives that character's deletion.
   * @param {Identifier} id
   */
  indexAfter(id) {
    const slot = this.#elements.search(id);
    return slot >= 0 ? slot + 1 : -slot - 1;
  }

  /**
   * What {@link Replica.fromState} takes back: the live identifiers with their code points, the
   * remembered deletes in mark order, and each site's highest counter received. Copies, so the
   * caller may keep them.
   * @returns {{identifiers: Identifier[], codePoints: number[], deleted: Array<[number, number]>, received: Array<[number, number]>}}
   */
  state() {
    /** @type {Array<[number, number]>} */
    const received = [...this.#received].sort((x, y) => x[0] - y[0]);
    return {
      identifiers: this.identifiers(),
      codePoints: Array.from(this.#elements.codePoints()),
      deleted: this.#deleted.pairs(),
      received,
    };
  }

  /**
   * {@link Replica.state} in four typed arrays, filled in one pass with no object per character:
   * what the browser keeps in IndexedDB every few seconds, so it must stay cheap at 100,000
   * characters. `levels[i]` is the depth of identifier i, whose triples follow in `parts`;
   * `deleted` holds (site, counter) pairs in mark order.
   * @returns {PackedState}
   */
  packedState() {
    const elements = this.#elements;
    const levels = new Uint16Array(elements.size);
    const parts = new Int32Array(elements.partsLength());
    let i = 0;
    let at = 0;
    elements.forEach((leafParts, start, end) => {
      levels[i++] = (end - start) / 3;
      parts.set(leafParts.subarray(start, end), at);
      at += end - start;
    });
    return { levels, parts, codePoints: elements.codePoints(), deleted: this.#deleted.packed() };
  }
  /**
   * A replica from {@link Replica.packedState}, checked as {@link Replica.fromState} checks.
   * @param {number} site @param {{nextCounter?: number, parameters?: LseqParameters}} options
   * @param {PackedState} packed
   * @returns {Replica}
   * @throws {InvalidDeltaError} if the state breaks a rule
   */
  static fromPackedState(site, options, { levels, parts, codePoints, deleted }) {
    /** @type {Identifier[]} */
    const identifiers = new Array(levels.length);
    let at = 0;
    for (let i = 0; i < levels.length; i++) {
      identifiers[i] = Array.from(parts.subarray(at, at + levels[i] * 3));
      at += levels[i] * 3;
    }
    if (at !== parts.length) throw new InvalidDeltaError('packed state has parts left over');
    /** @type {Array<[number, number]>} */
    const pairs = [];
    for (let i = 0; i + 1 < deleted.length; i += 2) pairs.push([deleted[i], deleted[i + 1]]);
    return Replica.fromState(site, options, { identifiers, codePoints: Array.from(codePoints), deleted: pairs });
  }

  /**
   * Whether this replica has applied the insert of `id` or remembers its delete.
   * @param {Identifier} id
   */
  hasSeen(id) {
    return this.#elements.search(id) >= 0 || this.#deleted.has(id[id.length - 2], id[id.length - 1]);
  }

  /**
   * The highest counter of `site` among the inserts this replica received (applied, made here,
   * or kept out by a remembered delete), or -1. Fed each site's inserts in counter order (the
   * server's log), an absent insert under a lower counter was deleted, even once the delete is
   * forgotten (docs/lseq.md, "Forgetting deletes").
   * @param {number} site
   */
  highestCounter(site) {
    return this.#received.get(site) ?? -1;
  }

  /** Number of deletes still remembered. */
  get tombstoneCount() {
    return this.#deleted.size;
  }

  /** The mark the next remembered delete gets (docs/lseq.md, "Forgetting deletes"). */
  deleteMark() {
    return this.#deleted.nextMark();
  }

  /**
   * Forgets the deletes remembered before `mark`.
   * @param {number} mark @returns {number} how many were forgotten
   */
  forgetDeletesBefore(mark) {
    return this.#deleted.forgetBefore(mark);
  }

  /** @param {number} site @param {number} counter */
  #receive(site, counter) {
    const known = this.#received.get(site);
    if (known === undefined || !(known >= counter)) this.#received.set(site, counter);
  }

  /**
   * Rejects a delta before anything is applied, so that a bad one leaves no trace.
   * @param {Delta} delta
   * @returns {Operation[]}
   */
  #checkApplicable(delta) {
    if (delta === null || typeof delta !== 'object' || !Array.isArray(delta.ops)) {
      throw new InvalidDeltaError('a delta is an object with an array of ops');
    }
    /**
     * This delta's inserts by (site, counter), as one number where it fits 53 bits: a string key
     * per insert (its identifier joined) cost more than applying it. An entry is a list only
     * when a forged delta gives one (site, counter) to several identifiers.
     * @type {Map<number | string, Operation | Operation[]> | null}
     */
    let insertedHere = null;
    for (const op of delta.ops) {
      if (op === null || typeof op !== 'object' || (op.type !== 'insert' && op.type !== 'delete')) {
        throw new InvalidDeltaError(`unknown operation: ${JSON.stringify(op)}`);
      }
      if (op.id === null || op.id === undefined) {
        throw new InvalidDeltaError(`an ${op.type} needs an identifier`);
      }
      this.#parameters.check(op.id);
      if (op.type === 'insert') {
        if (!isScalarValue(op.codePoint)) {
          throw new InvalidDeltaError(`not a Unicode scalar value: ${op.codePoint}`);
        }
        const present = this.#elements.codePointOf(op.id);
        if (present >= 0 && present !== op.codePoint) {
          throw new InvalidDeltaError(`identifier ${formatIdentifier(op.id)} already holds a different character`);
        }
        if (delta.ops.length > 1) {
          insertedHere ??= new Map();
          const site = op.id[op.id.length - 2];
          const counter = op.id[op.id.length - 1];
          const key = site < 0x400000 ? site * 0x80000000 + counter : `${site}:${counter}`;
          const earlier = insertedHere.get(key);
          if (earlier === undefined) {
            insertedHere.set(key, op);
          } else {
            const list = Array.isArray(earlier) ? earlier : [earlier];
            const same = list.find((other) => sameIdentifier(other.id, op.id));
            if (same === undefined) {
              list.push(op);
              insertedHere.set(key, list);
            } else if (same.type === 'insert' && same.codePoint !== op.codePoint) {
              throw new InvalidDeltaError(
                `identifier ${formatIdentifier(op.id)} is inserted twice with different characters`,
              );
            }
          }
        }
      }
    }
    return delta.ops;
  }

  /** @param {number} index @param {number} max */
  #checkIndex(index, max) {
    if (!Number.isInteger(index) || index < 0 || index > max) {
      throw new RangeError(`index ${index} outside 0..${max}`);
    }
  }
}
