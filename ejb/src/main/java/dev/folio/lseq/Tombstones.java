package dev.folio.lseq;

import java.util.Arrays;

/**
 * The inserts a replica has seen deleted. They keep a late or repeated insert from bringing a
 * deleted character back, and let a delete that overtook its insert wait for it.
 *
 * <p>An insert is named by the (site, counter) of its identifier's last level, which no other
 * insert shares; that pair, packed in a {@code long}, is all that is kept: an open-addressing hash
 * set for lookups and, in recording order, a queue for forgetting. About 24 bytes per delete.
 *
 * <p>Every delete gets the next mark (0, 1, 2, ...) as it is recorded. Whoever knows that no replica
 * can still deliver an insert older than some mark (the server does: see docs/lseq.md, "Forgetting
 * deletes") calls {@link #forgetBefore(long)} to bound the memory.
 */
final class Tombstones {

    private static final long EMPTY = -1L; // sites and counters are never negative

    private long[] table = emptyTable(16);
    private int size;
    private long[] queue = new long[16]; // recording order, from head
    private int head;
    private long firstMark;

    static long key(Identifier id) {
        return key(id.site(), id.counter());
    }

    static long key(int site, int counter) {
        return ((long) site << 32) | counter;
    }

    static int site(long key) {
        return (int) (key >>> 32);
    }

    static int counter(long key) {
        return (int) key;
    }

    boolean contains(Identifier id) {
        return table[slotOf(key(id))] != EMPTY;
    }

    /** Records {@code id}'s insert as deleted; returns false if it already was. */
    boolean add(Identifier id) {
        return addKey(key(id));
    }

    boolean addKey(long key) {
        int slot = slotOf(key);
        if (table[slot] != EMPTY) {
            return false;
        }
        table[slot] = key;
        if (++size * 2 > table.length) {
            rehash(table.length * 2);
        }
        if (head + size > queue.length) { // full: move the live part to the front of a queue twice its size
            long[] grown = new long[2 * size];
            System.arraycopy(queue, head, grown, 0, size - 1);
            queue = grown;
            head = 0;
        }
        queue[head + size - 1] = key;
        return true;
    }

    int size() {
        return size;
    }

    /** The mark the next recorded delete will get. */
    long nextMark() {
        return firstMark + size;
    }

    /** Forgets every delete whose mark is below {@code mark}; returns how many. */
    int forgetBefore(long mark) {
        if (mark <= firstMark) {
            return 0;
        }
        int forgotten = (int) Math.min(size, mark - firstMark);
        for (int i = 0; i < forgotten; i++) {
            removeKey(queue[head + i]);
        }
        head += forgotten;
        firstMark += forgotten;
        return forgotten;
    }

    /** The recorded (site, counter) keys, oldest first. */
    long[] keysInRecordingOrder() {
        return Arrays.copyOfRange(queue, head, head + size);
    }

    /** The slot holding {@code key}, or the empty slot where it would go (linear probing). */
    private int slotOf(long key) {
        int mask = table.length - 1;
        int slot = (int) mix(key) & mask;
        while (table[slot] != EMPTY && table[slot] != key) {
            slot = (slot + 1) & mask;
        }
        return slot;
    }

    /** Removes by shifting later entries of the probe run back, so lookups need no markers. */
    private void removeKey(long key) {
        int mask = table.length - 1;
        int hole = slotOf(key);
        for (int slot = (hole + 1) & mask; table[slot] != EMPTY; slot = (slot + 1) & mask) {
            int home = (int) mix(table[slot]) & mask;
            boolean movable = hole <= slot ? (home <= hole || home > slot) : (home <= hole && home > slot);
            if (movable) {
                table[hole] = table[slot];
                hole = slot;
            }
        }
        table[hole] = EMPTY;
        size--;
    }

    private void rehash(int capacity) {
        long[] old = table;
        table = emptyTable(capacity);
        for (long key : old) {
            if (key != EMPTY) {
                table[slotOf(key)] = key;
            }
        }
    }

    private static long[] emptyTable(int capacity) {
        long[] fresh = new long[capacity];
        Arrays.fill(fresh, EMPTY);
        return fresh;
    }

    private static long mix(long key) {
        key ^= key >>> 33;
        key *= 0xFF51AFD7ED558CCDL;
        return key ^ (key >>> 33);
    }
}
