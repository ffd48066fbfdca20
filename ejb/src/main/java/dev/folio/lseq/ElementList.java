package dev.folio.lseq;

import java.util.Arrays;

/**
 * The live characters of a replica, sorted by identifier, reachable both by index (local edits) and
 * by identifier (remote operations).
 *
 * <p>Elements sit in leaves of at most {@link #LEAF_CAPACITY}, kept in order in one array. A
 * Fenwick tree over the leaf sizes turns an index into a leaf in O(log leaves); a binary search on
 * each leaf's first identifier turns an identifier into a leaf. Leaves split when full and are
 * dropped when empty; the Fenwick tree is rebuilt then, which is rare (once per ~half a leaf of
 * inserts).
 */
final class ElementList {

    static final int LEAF_CAPACITY = 128;

    private static final class Leaf {
        final Identifier[] ids = new Identifier[LEAF_CAPACITY];
        final int[] values = new int[LEAF_CAPACITY];
        int count;
    }

    private Leaf[] leaves = {new Leaf()};
    private int leafCount = 1;
    private int[] fenwick = new int[2]; // 1-based sums of leaf sizes
    private int size;

    int size() {
        return size;
    }

    Identifier idAt(int index) {
        int leaf = leafOfIndex(index);
        return leaves[leaf].ids[index - elementsBefore(leaf)];
    }

    /** The value held at {@code id}, or -1 if no live element has that identifier. */
    int valueOf(Identifier id) {
        int leaf = leafOfId(id);
        int slot = search(leaves[leaf], id);
        return slot >= 0 ? leaves[leaf].values[slot] : -1;
    }

    /** Inserts in identifier order and returns the new element's index, or -1 if already present. */
    int insert(Identifier id, int value) {
        int leafIndex = leafOfId(id);
        Leaf leaf = leaves[leafIndex];
        int slot = search(leaf, id);
        if (slot >= 0) {
            return -1;
        }
        slot = -slot - 1;
        if (leaf.count == LEAF_CAPACITY) {
            split(leafIndex);
            if (slot > LEAF_CAPACITY / 2) {
                slot -= LEAF_CAPACITY / 2;
                leafIndex++;
            }
            leaf = leaves[leafIndex];
        }
        System.arraycopy(leaf.ids, slot, leaf.ids, slot + 1, leaf.count - slot);
        System.arraycopy(leaf.values, slot, leaf.values, slot + 1, leaf.count - slot);
        leaf.ids[slot] = id;
        leaf.values[slot] = value;
        leaf.count++;
        size++;
        addToFenwick(leafIndex, 1);
        return elementsBefore(leafIndex) + slot;
    }

    /**
     * Adds an element after every other one, filling leaves completely (a loaded snapshot is
     * compact). The index is stale until {@link #finishAppending()}.
     */
    void append(Identifier id, int value) {
        Leaf last = leaves[leafCount - 1];
        if (last.count == LEAF_CAPACITY) {
            if (leafCount == leaves.length) {
                leaves = Arrays.copyOf(leaves, leafCount * 2);
            }
            last = new Leaf();
            leaves[leafCount++] = last;
        }
        last.ids[last.count] = id;
        last.values[last.count++] = value;
        size++;
    }

    void finishAppending() {
        rebuildFenwick();
    }

    /** Removes the element with this identifier and returns its index, or -1 if absent. */
    int remove(Identifier id) {
        int leafIndex = leafOfId(id);
        int slot = search(leaves[leafIndex], id);
        if (slot < 0) {
            return -1;
        }
        int index = elementsBefore(leafIndex) + slot;
        removeSlot(leafIndex, slot);
        return index;
    }

    /** Removes the element at {@code index} and returns its identifier. */
    Identifier removeAt(int index) {
        int leafIndex = leafOfIndex(index);
        int slot = index - elementsBefore(leafIndex);
        Identifier id = leaves[leafIndex].ids[slot];
        removeSlot(leafIndex, slot);
        return id;
    }

    /** Visits every element in order. */
    void forEach(ElementVisitor visitor) {
        for (int l = 0; l < leafCount; l++) {
            Leaf leaf = leaves[l];
            for (int s = 0; s < leaf.count; s++) {
                visitor.visit(leaf.ids[s], leaf.values[s]);
            }
        }
    }

    interface ElementVisitor {
        void visit(Identifier id, int value);
    }

    private void removeSlot(int leafIndex, int slot) {
        Leaf leaf = leaves[leafIndex];
        System.arraycopy(leaf.ids, slot + 1, leaf.ids, slot, leaf.count - slot - 1);
        System.arraycopy(leaf.values, slot + 1, leaf.values, slot, leaf.count - slot - 1);
        leaf.ids[--leaf.count] = null;
        size--;
        if (leaf.count == 0 && leafCount > 1) {
            System.arraycopy(leaves, leafIndex + 1, leaves, leafIndex, leafCount - leafIndex - 1);
            leaves[--leafCount] = null;
            rebuildFenwick();
        } else {
            addToFenwick(leafIndex, -1);
        }
    }

    private void split(int leafIndex) {
        Leaf full = leaves[leafIndex];
        Leaf right = new Leaf();
        int half = LEAF_CAPACITY / 2;
        right.count = LEAF_CAPACITY - half;
        System.arraycopy(full.ids, half, right.ids, 0, right.count);
        System.arraycopy(full.values, half, right.values, 0, right.count);
        Arrays.fill(full.ids, half, LEAF_CAPACITY, null);
        full.count = half;
        if (leafCount == leaves.length) {
            leaves = Arrays.copyOf(leaves, leafCount * 2);
        }
        System.arraycopy(leaves, leafIndex + 1, leaves, leafIndex + 2, leafCount - leafIndex - 1);
        leaves[leafIndex + 1] = right;
        leafCount++;
        rebuildFenwick();
    }

    /** Binary search in one leaf: the slot, or {@code -(insertion point) - 1}. */
    private static int search(Leaf leaf, Identifier id) {
        return Arrays.binarySearch(leaf.ids, 0, leaf.count, id);
    }

    /** The leaf whose range holds {@code id}: the last leaf whose first element is not after it. */
    private int leafOfId(Identifier id) {
        int low = 1;
        int high = leafCount - 1;
        int found = 0;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            if (leaves[mid].ids[0].compareTo(id) <= 0) {
                found = mid;
                low = mid + 1;
            } else {
                high = mid - 1;
            }
        }
        return found;
    }

    /** The leaf holding the element at {@code index} (a Fenwick tree descent). */
    private int leafOfIndex(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("index " + index + " outside 0.." + (size - 1));
        }
        int position = 0;
        int remaining = index;
        for (int step = Integer.highestOneBit(leafCount); step > 0; step >>= 1) {
            int next = position + step;
            if (next <= leafCount && fenwick[next] <= remaining) {
                position = next;
                remaining -= fenwick[next];
            }
        }
        return position;
    }

    /** Number of elements in the leaves before {@code leafIndex}. */
    private int elementsBefore(int leafIndex) {
        int sum = 0;
        for (int i = leafIndex; i > 0; i -= i & -i) {
            sum += fenwick[i];
        }
        return sum;
    }

    private void addToFenwick(int leafIndex, int delta) {
        for (int i = leafIndex + 1; i <= leafCount; i += i & -i) {
            fenwick[i] += delta;
        }
    }

    private void rebuildFenwick() {
        if (fenwick.length < leafCount + 1) {
            fenwick = new int[leaves.length + 1];
        }
        Arrays.fill(fenwick, 0);
        for (int i = 1; i <= leafCount; i++) {
            fenwick[i] += leaves[i - 1].count;
            int parent = i + (i & -i);
            if (parent <= leafCount) {
                fenwick[parent] += fenwick[i];
            }
        }
    }
}
