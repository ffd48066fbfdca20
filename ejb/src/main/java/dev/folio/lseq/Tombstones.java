package dev.folio.lseq;

import java.util.Iterator;
import java.util.LinkedHashSet;

/**
 * The identifiers a replica has seen deleted. They keep a late or repeated insert from bringing a
 * deleted character back, and let a delete that overtook its insert wait for it.
 *
 * <p>Every identifier gets the next mark (0, 1, 2, ...) as it is recorded. Whoever knows that no
 * replica can still deliver an insert older than some mark (the server does: see docs/lseq.md,
 * "Forgetting deletes") calls {@link #forgetBefore(long)} to bound the memory.
 */
final class Tombstones {

    private final LinkedHashSet<Identifier> ids = new LinkedHashSet<>();
    private long firstMark;

    boolean contains(Identifier id) {
        return ids.contains(id);
    }

    /** Records {@code id}; returns false if it was already recorded. */
    boolean add(Identifier id) {
        return ids.add(id);
    }

    int size() {
        return ids.size();
    }

    /** The mark the next recorded identifier will get. */
    long nextMark() {
        return firstMark + ids.size();
    }

    /** Forgets every identifier whose mark is below {@code mark}; returns how many. */
    int forgetBefore(long mark) {
        int forgotten = 0;
        Iterator<Identifier> oldestFirst = ids.iterator();
        while (firstMark < mark && oldestFirst.hasNext()) {
            oldestFirst.next();
            oldestFirst.remove();
            firstMark++;
            forgotten++;
        }
        return forgotten;
    }

    Iterable<Identifier> inRecordingOrder() {
        return ids;
    }
}
