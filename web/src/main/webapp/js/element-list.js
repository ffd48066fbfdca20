// The characters of a replica sorted by identifier, reachable by index (local edits) and by
// identifier (remote operations) in logarithmic time: the layout of the Java core's ElementList
// (ejb/src/main/java/dev/folio/lseq), with identifiers front-coded in typed arrays.
//
// Elements sit in leaves of at most LEAF_CAPACITY, in order. A Fenwick tree over the leaf sizes
// turns an index into a leaf; a binary search on the leaves' first identifiers turns an identifier
// into a leaf. Within a leaf each identifier keeps only the levels it does not share with the one
// before it (see Leaf), in one Int32Array per leaf. A full leaf splits (in two, or, when the insert
// is at its edge, by starting a new leaf, so that typing and pastes leave full leaves behind); a
// leaf that deletes leave under a quarter full is merged with a neighbour when both fit in three
// quarters of one. The Fenwick tree is rebuilt when leaves come or go, which is rare.

/** @typedef {import('./lseq.js').Identifier} Identifier */

/** Elements per leaf at most; as in Java. */
export const LEAF_CAPACITY = 128;
const MERGE_BELOW = LEAF_CAPACITY / 4;
const MERGE_UP_TO = (LEAF_CAPACITY * 3) / 4;

/** Identifiers have at most MAX_DEPTH (256) levels: the scratch buffers hold any full identifier. */
const MAX_PARTS = 3 * 256;
/** Scratch for decoding identifiers; JavaScript runs one call at a time, and none keeps them. */
const scratch = new Int32Array(MAX_PARTS);
const scratchOther = new Int32Array(MAX_PARTS);
const EMPTY_ENDS = new Uint32Array(0);
const EMPTY_SHARED = new Uint16Array(0);

/**
 * Whole levels `a` and `b` start with in common.
 * @param {ArrayLike<number>} a @param {number} aLength @param {ArrayLike<number>} b @param {number} bLength
 */
function sharedLevels(a, aLength, b, bLength) {
  const limit = Math.min(aLength, bLength) - 2;
  let at = 0;
  while (at < limit && a[at] === b[at] && a[at + 1] === b[at + 1] && a[at + 2] === b[at + 2]) at += 3;
  return at / 3;
}

/**
 * Up to LEAF_CAPACITY elements, each identifier front-coded against the one before it: element i
 * keeps `shared[i]` leading levels of element i - 1 and stores only the rest in `parts` (element 0
 * stores all of its own). In real editing neighbours share all but about one level (8.8 levels on
 * average, 1.0 not shared with the previous identifier on the automerge-paper trace), so a
 * character costs about 3 integers of identifier, not 27. Reading an identifier means decoding
 * the leaf from its start, which a search does anyway: it walks the leaf once, comparing only
 * what changed from one element to the next.
 */
class Leaf {
  /** @param {number} partsCapacity @param {number} [capacity] elements before the arrays grow */
  constructor(partsCapacity = 16, capacity = 16) {
    this.count = 0;
    /** The levels each element does not share with the one before, one after another. */
    this.parts = new Int32Array(partsCapacity);
    /** Where each element's stored levels end in `parts`. @type {Uint32Array} */
    this.ends = EMPTY_ENDS;
    /** @type {Uint32Array} */
    this.codePoints = EMPTY_ENDS;
    /** Leading levels each element shares with the one before (0 for the first). @type {Uint16Array} */
    this.shared = EMPTY_SHARED;
    this.allocate(capacity);
  }

  /**
   * Makes room for `capacity` elements (at most LEAF_CAPACITY). The three per-element arrays are
   * views on one buffer, sized to need: leaves of a typed document are about 70% full, and each
   * ArrayBuffer costs V8 some hundred bytes besides its contents.
   * @param {number} capacity
   */
  allocate(capacity) {
    const buffer = new ArrayBuffer(10 * capacity);
    const ends = new Uint32Array(buffer, 0, capacity);
    const codePoints = new Uint32Array(buffer, 4 * capacity, capacity);
    const shared = new Uint16Array(buffer, 8 * capacity, capacity);
    ends.set(this.ends.subarray(0, this.count));
    codePoints.set(this.codePoints.subarray(0, this.count));
    shared.set(this.shared.subarray(0, this.count));
    this.ends = ends;
    this.codePoints = codePoints;
    this.shared = shared;
  }

  /** @param {number} count elements about to be held */
  reserveElements(count) {
    if (count > this.ends.length)
      this.allocate(Math.min(LEAF_CAPACITY, Math.max(count, this.ends.length + (this.ends.length >> 1))));
  }

  /** Integers used in `parts`. */
  get used() {
    return this.count === 0 ? 0 : this.ends[this.count - 1];
  }

  /** @param {number} slot */
  start(slot) {
    return slot === 0 ? 0 : this.ends[slot - 1];
  }

  /** @param {number} slot @returns {number} integers in the element's whole identifier */
  fullLength(slot) {
    return 3 * this.shared[slot] + this.ends[slot] - this.start(slot);
  }

  /**
   * Writes the whole identifier of element `slot` into `out`.
   * @param {number} slot @param {Int32Array} out @returns {number} its length
   */
  decode(slot, out) {
    const parts = this.parts;
    let from = 0;
    let length = 0;
    for (let j = 0; j <= slot; j++) {
      const to = this.ends[j];
      length = 3 * this.shared[j];
      for (let k = from; k < to; k++) out[length++] = parts[k];
      from = to;
    }
    return length;
  }

  /** @param {number} slot @returns {Identifier} a copy */
  idAt(slot) {
    const length = this.decode(slot, scratch);
    /** @type {Identifier} */
    const id = new Array(length); // a loop, not Array.from(subarray): 3-4 times faster in V8
    for (let i = 0; i < length; i++) id[i] = scratch[i];
    return id;
  }

  /** @param {number} extra integers about to be added */
  reserve(extra) {
    const needed = this.used + extra;
    if (needed > this.parts.length) {
      // By a quarter, not double: a leaf's parts are small to copy, and doubling left a third of
      // a typed document's identifier memory unused.
      const grown = new Int32Array(needed + (needed >> 2) + 8);
      grown.set(this.parts.subarray(0, this.used));
      this.parts = grown;
    }
  }

  /**
   * The slot of `id`, or -(insertion point) - 1: one walk through the leaf, copying nothing.
   * `match` is how many leading integers the element before has in common with `id`. An element
   * that keeps more than that from its predecessor differs from `id` where the predecessor did,
   * in the same direction (before it), and needs no comparison; one that keeps at most that
   * equals `id` on what it keeps, so only its stored levels are compared.
   * @param {Identifier} id
   */
  search(id) {
    const parts = this.parts;
    const idLength = id.length;
    let match = 0;
    let from = 0;
    for (let j = 0; j < this.count; j++) {
      const keep = 3 * this.shared[j];
      const to = this.ends[j];
      if (match >= keep) {
        let m = keep;
        let k = from;
        while (k < to && m < idLength && parts[k] === id[m]) {
          k++;
          m++;
        }
        const c = k < to && m < idLength ? parts[k] - id[m] : keep + to - from - idLength;
        if (c === 0) return j;
        if (c > 0) return -(j + 1);
        match = m;
      }
      from = to;
    }
    return -(this.count + 1);
  }

  /** @param {Identifier} id @returns {number} negative, 0 or positive as the first element compares with `id` */
  compareFirst(id) {
    return compareStored(this.parts, 0, this.ends[0], id);
  }

  /**
   * Replaces elements slot..slot+removed-1 with `items`, each `[shared, source, from, to,
   * codePoint]`: levels from `source[from..to)` stored after `shared` levels of the element
   * before. The caller re-encodes the element after the range when its predecessor changes.
   * @param {number} slot @param {number} removed
   * @param {Array<[number, ArrayLike<number>, number, number, number]>} items
   */
  replace(slot, removed, items) {
    const start = this.start(slot);
    const oldEnd = removed === 0 ? start : this.ends[slot + removed - 1];
    let length = 0;
    for (const item of items) length += item[3] - item[2];
    const delta = length - (oldEnd - start);
    if (delta > 0) this.reserve(delta);
    const used = this.used;
    const parts = this.parts;
    if (delta !== 0) parts.copyWithin(oldEnd + delta, oldEnd, used);
    const shift = items.length - removed;
    if (shift > 0) this.reserveElements(this.count + shift);
    if (shift !== 0) {
      this.ends.copyWithin(slot + items.length, slot + removed, this.count);
      this.shared.copyWithin(slot + items.length, slot + removed, this.count);
      this.codePoints.copyWithin(slot + items.length, slot + removed, this.count);
    }
    const count = this.count + shift;
    for (let i = slot + items.length; i < count; i++) this.ends[i] += delta;
    let at = start;
    for (let i = 0; i < items.length; i++) {
      const [shared, source, from, to, codePoint] = items[i];
      for (let k = from; k < to; k++) parts[at++] = source[k];
      this.ends[slot + i] = at;
      this.shared[slot + i] = shared;
      this.codePoints[slot + i] = codePoint;
    }
    this.count = count;
  }

  /** @param {number} slot @param {Identifier} id @param {number} codePoint */
  insertAt(slot, id, codePoint) {
    const before = slot === 0 ? 0 : this.decode(slot - 1, scratch);
    const shared = slot === 0 ? 0 : sharedLevels(scratch, before, id, id.length);
    /** @type {Array<[number, ArrayLike<number>, number, number, number]>} */
    const items = [[shared, id, 3 * shared, id.length, codePoint]];
    if (slot < this.count) {
      // The element now after it: its whole identifier, stored against the new one.
      let length = 3 * this.shared[slot];
      for (let k = 0; k < length; k++) scratchOther[k] = scratch[k];
      for (let k = this.start(slot); k < this.ends[slot]; k++) scratchOther[length++] = this.parts[k];
      const nextShared = sharedLevels(id, id.length, scratchOther, length);
      items.push([nextShared, scratchOther, 3 * nextShared, length, this.codePoints[slot]]);
    }
    this.replace(slot, slot < this.count ? 1 : 0, items);
  }

  /**
   * Adds an element after the last one (no room check).
   * @param {ArrayLike<number>} id @param {number} codePoint
   * @param {ArrayLike<number> | null} [last] the last element's identifier, when the caller has it
   */
  push(id, codePoint, last = null) {
    let shared = 0;
    if (this.count > 0) {
      if (last === null) {
        const length = this.decode(this.count - 1, scratchOther);
        shared = sharedLevels(scratchOther, length, id, id.length);
      } else {
        shared = sharedLevels(last, last.length, id, id.length);
      }
    }
    this.replace(this.count, 0, [[shared, id, 3 * shared, id.length, codePoint]]);
  }

  /** Moves the elements from `slot` on to the end of `other`. @param {number} slot @param {Leaf} other */
  moveTail(slot, other) {
    if (slot >= this.count) return;
    const firstLength = this.decode(slot, scratch);
    let shared = 0;
    if (other.count > 0) {
      const lastLength = other.decode(other.count - 1, scratchOther);
      shared = sharedLevels(scratchOther, lastLength, scratch, firstLength);
    }
    const from = this.ends[slot];
    const length = this.used - from;
    other.replace(other.count, 0, [[shared, scratch, 3 * shared, firstLength, this.codePoints[slot]]]);
    other.reserve(length);
    other.reserveElements(other.count + this.count - slot - 1);
    const base = other.used - from;
    other.parts.set(this.parts.subarray(from, from + length), other.used);
    for (let i = slot + 1; i < this.count; i++) {
      other.ends[other.count] = this.ends[i] + base;
      other.shared[other.count] = this.shared[i];
      other.codePoints[other.count++] = this.codePoints[i];
    }
    this.count = slot;
  }

  /**
   * @param {number} slot @param {number} removed elements from `slot` on
   * @param {Identifier[]} [out] receives their identifiers, in order
   */
  removeRange(slot, removed, out) {
    const parts = this.parts;
    const end = slot + removed; // the element after the range, if any, is re-encoded
    let from = 0;
    let length = 0;
    let before = 0;
    for (let j = 0; j <= Math.min(end, this.count - 1); j++) {
      const to = this.ends[j];
      length = 3 * this.shared[j];
      for (let k = from; k < to; k++) scratch[length++] = parts[k];
      from = to;
      if (j === slot - 1) {
        before = length;
        scratchOther.set(scratch.subarray(0, length));
      }
      if (out && j >= slot && j < end) {
        /** @type {Identifier} */
        const id = new Array(length);
        for (let i = 0; i < length; i++) id[i] = scratch[i];
        out.push(id);
      }
    }
    if (end < this.count) {
      const shared = slot === 0 ? 0 : sharedLevels(scratchOther, before, scratch, length);
      this.replace(slot, removed + 1, [[shared, scratch, 3 * shared, length, this.codePoints[end]]]);
    } else {
      this.replace(slot, removed, []);
    }
    // Deletes leave capacity behind; give it back when more than half of it is unused.
    if (this.parts.length > 64 && this.parts.length > 2 * this.used)
      this.parts = this.parts.slice(0, this.used + (this.used >> 2) + 8);
  }

  /** Gives back what doubling left unused (after a bulk load). */
  trim() {
    if (this.parts.length > this.used + 16) this.parts = this.parts.slice(0, this.used);
  }
}

/**
 * Compares the identifier stored in `parts[start..end)` with `id`, as compareIdentifiers does.
 * @param {Int32Array} parts @param {number} start @param {number} end @param {Identifier} id
 */
function compareStored(parts, start, end, id) {
  const length = end - start;
  const n = Math.min(length, id.length);
  for (let i = 0; i < n; i++) {
    const a = parts[start + i];
    const b = id[i];
    if (a !== b) return a < b ? -1 : 1;
  }
  return length - id.length;
}

export class ElementList {
  /** @type {Leaf[]} never empty; only an empty list has an empty leaf */
  #leaves = [new Leaf()];
  /** 1-based sums of leaf sizes. */
  #fenwick = new Int32Array(2);
  #size = 0;
  /** The identifier appended last, while appending. @type {ArrayLike<number> | null} */
  #appended = null;

  get size() {
    return this.#size;
  }

  /** @param {number} index in 0..size-1 @returns {Identifier} a copy */
  idAt(index) {
    const leaf = this.#leafOfIndex(index);
    return this.#leaves[leaf].idAt(index - this.#elementsBefore(leaf));
  }

  /**
   * The index of `id`, or -(the index it would take) - 1 if absent.
   * @param {Identifier} id
   */
  search(id) {
    const leaf = this.#leafOfId(id);
    const slot = this.#leaves[leaf].search(id);
    const before = this.#elementsBefore(leaf);
    return slot >= 0 ? before + slot : slot - before;
  }

  /** @param {Identifier} id @returns {number} the code point held at `id`, or -1 if absent */
  codePointOf(id) {
    const leaf = this.#leaves[this.#leafOfId(id)];
    const slot = leaf.search(id);
    return slot >= 0 ? leaf.codePoints[slot] : -1;
  }

  /**
   * Inserts in identifier order.
   * @param {Identifier} id @param {number} codePoint
   * @returns {number} the new element's index, or -1 if `id` is already present
   */
  insert(id, codePoint) {
    let leafIndex = this.#leafOfId(id);
    let slot = this.#leaves[leafIndex].search(id);
    if (slot >= 0) return -1;
    slot = -slot - 1;
    if (this.#leaves[leafIndex].count === LEAF_CAPACITY) {
      [leafIndex, slot] = this.#makeRoom(leafIndex, slot);
      this.#leaves[leafIndex].insertAt(slot, id, codePoint);
      this.#size++;
      this.#rebuildFenwick();
    } else {
      this.#leaves[leafIndex].insertAt(slot, id, codePoint);
      this.#size++;
      this.#addToFenwick(leafIndex, 1);
    }
    return this.#elementsBefore(leafIndex) + slot;
  }

  /**
   * Inserts a run of elements whose identifiers increase and belong right at `index` (a local
   * insert): in one move of the leaf when it fits, else filling new leaves.
   * @param {number} index in 0..size @param {Identifier[]} ids @param {number[]} codePoints
   */
  insertRunAt(index, ids, codePoints) {
    if (ids.length === 0) return;
    let leafIndex;
    let slot;
    if (index === this.#size) {
      leafIndex = this.#leaves.length - 1;
      slot = this.#leaves[leafIndex].count;
    } else {
      leafIndex = this.#leafOfIndex(index);
      slot = index - this.#elementsBefore(leafIndex);
    }
    // At a leaf's start, the end of the leaf before is the same place: fill that one first.
    if (slot === 0 && leafIndex > 0 && this.#leaves[leafIndex - 1].count < LEAF_CAPACITY) {
      leafIndex--;
      slot = this.#leaves[leafIndex].count;
    }
    const leaf = this.#leaves[leafIndex];
    if (leaf.count + ids.length <= LEAF_CAPACITY) {
      for (let i = 0; i < ids.length; i++) leaf.insertAt(slot + i, ids[i], codePoints[i]);
      this.#size += ids.length;
      this.#addToFenwick(leafIndex, ids.length);
      return;
    }
    const tail = new Leaf(Math.max(16, leaf.used - leaf.start(slot)));
    leaf.moveTail(slot, tail);
    /** @type {Leaf[]} */
    const added = [];
    let current = leaf;
    for (let i = 0; i < ids.length; i++) {
      if (current.count === LEAF_CAPACITY) {
        current = new Leaf(
          Math.min(LEAF_CAPACITY, ids.length - i) * 4 + ids[i].length,
          Math.min(LEAF_CAPACITY, ids.length - i),
        );
        added.push(current);
      }
      current.push(ids[i], codePoints[i], i === 0 ? null : ids[i - 1]);
    }
    if (tail.count > 0) {
      if (current.count + tail.count <= LEAF_CAPACITY) tail.moveTail(0, current);
      else added.push(tail);
    }
    this.#leaves.splice(leafIndex + 1, 0, ...added);
    this.#size += ids.length;
    this.#rebuildFenwick();
  }

  /**
   * Removes the element with this identifier.
   * @param {Identifier} id @returns {number} its index, or -1 if absent
   */
  remove(id) {
    const leafIndex = this.#leafOfId(id);
    const slot = this.#leaves[leafIndex].search(id);
    if (slot < 0) return -1;
    const index = this.#elementsBefore(leafIndex) + slot;
    this.#leaves[leafIndex].removeRange(slot, 1);
    this.#size--;
    if (!this.#tidy(leafIndex, leafIndex)) this.#addToFenwick(leafIndex, -1);
    return index;
  }

  /**
   * Removes `count` elements from `index` on.
   * @param {number} index @param {number} count (index + count <= size)
   * @returns {Identifier[]} their identifiers, in order
   */
  removeRange(index, count) {
    /** @type {Identifier[]} */
    const removed = [];
    if (count === 0) return removed;
    const first = this.#leafOfIndex(index);
    let slot = index - this.#elementsBefore(first);
    let leafIndex = first;
    let remaining = count;
    while (remaining > 0) {
      const leaf = this.#leaves[leafIndex];
      const take = Math.min(remaining, leaf.count - slot);
      leaf.removeRange(slot, take, removed);
      remaining -= take;
      leafIndex++;
      slot = 0;
    }
    this.#size -= count;
    if (!this.#tidy(first, leafIndex - 1)) {
      if (leafIndex - 1 === first) this.#addToFenwick(first, -count);
      else this.#rebuildFenwick();
    }
    return removed;
  }

  /**
   * Adds an element after every other one, filling leaves (a loaded state is compact). The
   * index is stale until {@link ElementList.finishAppending}.
   * @param {ArrayLike<number>} id @param {number} codePoint
   */
  append(id, codePoint) {
    let last = this.#leaves[this.#leaves.length - 1];
    if (last.count === LEAF_CAPACITY) {
      last.trim();
      last = new Leaf(last.parts.length, LEAF_CAPACITY);
      this.#leaves.push(last);
    }
    last.push(id, codePoint, this.#appended);
    this.#appended = id;
    this.#size++;
  }

  finishAppending() {
    this.#appended = null;
    this.#leaves[this.#leaves.length - 1].trim();
    this.#rebuildFenwick();
  }

  /**
   * Visits every element in order, with its identifier's integers as `parts[start..end)` (valid
   * only during the call).
   * @param {(parts: Int32Array, start: number, end: number, codePoint: number) => void} visit
   */
  forEach(visit) {
    const whole = new Int32Array(MAX_PARTS); // not the scratch: `visit` may search the list
    for (const leaf of this.#leaves) {
      let from = 0;
      for (let i = 0; i < leaf.count; i++) {
        const to = leaf.ends[i];
        let length = 3 * leaf.shared[i];
        for (let k = from; k < to; k++) whole[length++] = leaf.parts[k];
        from = to;
        visit(whole, 0, length, leaf.codePoints[i]);
      }
    }
  }

  /** @returns {number} integers over all identifiers */
  partsLength() {
    let total = 0;
    for (const leaf of this.#leaves) for (let i = 0; i < leaf.count; i++) total += leaf.fullLength(i);
    return total;
  }

  /** The text, built a leaf at a time. */
  text() {
    const chunks = [];
    for (const leaf of this.#leaves) chunks.push(String.fromCodePoint(...leaf.codePoints.subarray(0, leaf.count)));
    return chunks.join('');
  }

  /** The code points in order. */
  codePoints() {
    const all = new Uint32Array(this.#size);
    let at = 0;
    for (const leaf of this.#leaves) {
      all.set(leaf.codePoints.subarray(0, leaf.count), at);
      at += leaf.count;
    }
    return all;
  }

  /**
   * A full leaf at `leafIndex` must take an element at `slot`: starts a new leaf when the slot is
   * at an edge, else splits the leaf in two. The Fenwick tree is left for the caller to rebuild.
   * @param {number} leafIndex @param {number} slot @returns {[number, number]} where the element goes now
   */
  #makeRoom(leafIndex, slot) {
    const leaf = this.#leaves[leafIndex];
    if (slot === LEAF_CAPACITY) {
      this.#leaves.splice(leafIndex + 1, 0, new Leaf(Math.max(16, leaf.used >> 5)));
      return [leafIndex + 1, 0];
    }
    if (slot === 0) {
      this.#leaves.splice(leafIndex, 0, new Leaf(Math.max(16, leaf.used >> 5)));
      return [leafIndex, 0];
    }
    const half = LEAF_CAPACITY / 2;
    const right = new Leaf(leaf.used - leaf.start(half) + 16);
    leaf.moveTail(half, right);
    this.#leaves.splice(leafIndex + 1, 0, right);
    return slot > half ? [leafIndex + 1, slot - half] : [leafIndex, slot];
  }

  /**
   * After removals from leaves first..last: drops the empty ones and merges a leaf left under a
   * quarter full into a neighbour when both fit in three quarters of a leaf.
   * @param {number} first @param {number} last
   * @returns {boolean} whether leaves changed (the Fenwick tree was rebuilt)
   */
  #tidy(first, last) {
    const leaves = this.#leaves;
    let changed = false;
    for (let i = last; i >= first; i--) {
      if (leaves[i].count === 0 && leaves.length > 1) {
        leaves.splice(i, 1);
        changed = true;
      }
    }
    // What is left of first..last after dropping: first (if kept) and the one after it.
    for (const i of [Math.min(first + 1, leaves.length - 1), Math.min(first, leaves.length - 1)]) {
      if (i >= leaves.length || leaves[i].count >= MERGE_BELOW) continue;
      if (i + 1 < leaves.length && leaves[i].count + leaves[i + 1].count <= MERGE_UP_TO) {
        leaves[i + 1].moveTail(0, leaves[i]);
        leaves.splice(i + 1, 1);
        changed = true;
      } else if (i > 0 && leaves[i - 1].count + leaves[i].count <= MERGE_UP_TO) {
        leaves[i].moveTail(0, leaves[i - 1]);
        leaves.splice(i, 1);
        changed = true;
      }
    }
    if (changed) this.#rebuildFenwick();
    return changed;
  }

  /** The leaf whose range holds `id`: the last leaf whose first element is not after it. @param {Identifier} id */
  #leafOfId(id) {
    const leaves = this.#leaves;
    let low = 1;
    let high = leaves.length - 1;
    let found = 0;
    while (low <= high) {
      const mid = (low + high) >>> 1;
      if (leaves[mid].compareFirst(id) <= 0) {
        found = mid;
        low = mid + 1;
      } else {
        high = mid - 1;
      }
    }
    return found;
  }

  /** The leaf holding the element at `index` (a Fenwick tree descent). @param {number} index */
  #leafOfIndex(index) {
    if (!(index >= 0 && index < this.#size)) {
      throw new RangeError(`index ${index} outside 0..${this.#size - 1}`);
    }
    const leafCount = this.#leaves.length;
    const fenwick = this.#fenwick;
    let position = 0;
    let remaining = index;
    for (let step = 1 << (31 - Math.clz32(leafCount)); step > 0; step >>= 1) {
      const next = position + step;
      if (next <= leafCount && fenwick[next] <= remaining) {
        position = next;
        remaining -= fenwick[next];
      }
    }
    return position;
  }

  /** Elements in the leaves before `leafIndex`. @param {number} leafIndex */
  #elementsBefore(leafIndex) {
    const fenwick = this.#fenwick;
    let sum = 0;
    for (let i = leafIndex; i > 0; i -= i & -i) sum += fenwick[i];
    return sum;
  }

  /** @param {number} leafIndex @param {number} delta */
  #addToFenwick(leafIndex, delta) {
    const leafCount = this.#leaves.length;
    const fenwick = this.#fenwick;
    for (let i = leafIndex + 1; i <= leafCount; i += i & -i) fenwick[i] += delta;
  }

  #rebuildFenwick() {
    const leaves = this.#leaves;
    const leafCount = leaves.length;
    if (this.#fenwick.length < leafCount + 1) this.#fenwick = new Int32Array(2 * leafCount + 2);
    const fenwick = this.#fenwick;
    fenwick.fill(0);
    for (let i = 1; i <= leafCount; i++) {
      fenwick[i] += leaves[i - 1].count;
      const parent = i + (i & -i);
      if (parent <= leafCount) fenwick[parent] += fenwick[i];
    }
  }
}
