package dev.folio.lseq;

import dev.folio.lseq.Operation.Delete;
import dev.folio.lseq.Operation.Insert;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One copy of an LSEQ sequence: a text whose every character has an {@link Identifier}. Local edits
 * by index return the {@link Delta} to send to the other replicas; remote deltas are applied by
 * identifier, in any order, any number of times, and all replicas that have applied the same set of
 * operations hold the same text with the same identifiers.
 *
 * <p>Indexes count Unicode code points. Not thread-safe: one writer at a time.
 */
public final class Replica {

    private final LseqParameters parameters;
    private final IdentifierAllocator allocator;
    private final ElementList elements = new ElementList();
    private final Tombstones tombstones = new Tombstones();
    private final SiteCounters received = new SiteCounters();
    private final int site;
    private int nextCounter;

    /**
     * @param site this replica's site number, unique among all replicas that ever edit the document
     * @param nextCounter the counter of this site's next insert (0 for a new site; a site that
     *     resumes must continue after the highest counter it ever used)
     */
    public Replica(int site, int nextCounter, LseqParameters parameters) {
        if (site < 0 || nextCounter < 0) {
            throw new IllegalArgumentException("site and counter are never negative");
        }
        this.parameters = parameters;
        this.allocator = new IdentifierAllocator(parameters);
        this.site = site;
        this.nextCounter = nextCounter;
    }

    public Replica(int site) {
        this(site, 0, LseqParameters.DEFAULT);
    }

    /**
     * Inserts {@code text} so that its first character ends up at {@code index}.
     *
     * @return the operations to send to the other replicas
     * @throws IllegalArgumentException if {@code text} is not well-formed UTF-16
     * @throws IllegalStateException if the place has no room left within {@link
     *     LseqParameters#MAX_DEPTH}, or the site has used all its counters; nothing changes then
     */
    public Delta insert(int index, String text) {
        checkIndex(index, length());
        int[] codePoints = codePointsOf(text);
        Identifier left = index == 0 ? null : elements.idAt(index - 1);
        Identifier right = index == length() ? null : elements.idAt(index);
        if (nextCounter + codePoints.length < 0) {
            throw new IllegalStateException("site " + site + " has used all its counters; edit under a new site");
        }
        List<Operation> operations = new ArrayList<>(codePoints.length);
        for (int i = 0; i < codePoints.length; i++) {
            Identifier id = allocator.between(left, right, site, nextCounter + i);
            if (id.depth() > LseqParameters.MAX_DEPTH) {
                throw new IllegalStateException("no room left at index " + index
                        + ": the identifier would be deeper than " + LseqParameters.MAX_DEPTH + " levels");
            }
            operations.add(new Insert(id, codePoints[i]));
            left = id;
        }
        nextCounter += codePoints.length;
        if (codePoints.length > 0) {
            received.raise(site, nextCounter - 1);
        }
        for (Operation operation : operations) {
            elements.insert(operation.id(), ((Insert) operation).codePoint());
        }
        return new Delta(operations);
    }

    /** Deletes {@code count} characters starting at {@code index}. */
    public Delta delete(int index, int count) {
        if (count < 0) {
            throw new IllegalArgumentException("cannot delete a negative count: " + count);
        }
        checkIndex(index, length());
        checkIndex(index + count, length());
        List<Operation> operations = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Identifier id = elements.removeAt(index);
            tombstones.add(id);
            operations.add(new Delete(id));
        }
        return new Delta(operations);
    }

    /**
     * Applies a delta from another replica. Operations already applied, inserts of deleted
     * characters, and deletes of characters not yet seen change nothing visible (the last are
     * remembered until their insert arrives).
     *
     * @return the changes to the text, in the order they happened
     * @throws InvalidDeltaException if any operation is invalid; then nothing is applied
     */
    public List<TextChange> apply(Delta delta) {
        checkApplicable(delta);
        List<TextChange> changes = new ArrayList<>(delta.size());
        for (Operation operation : delta.operations()) {
            if (operation instanceof Insert insert) {
                received.raise(insert.id().site(), insert.id().counter());
                if (!tombstones.contains(insert.id())) {
                    int index = elements.insert(insert.id(), insert.codePoint());
                    if (index >= 0) {
                        changes.add(new TextChange(index, insert.codePoint()));
                    }
                }
            } else if (tombstones.add(operation.id())) {
                int index = elements.remove(operation.id());
                if (index >= 0) {
                    changes.add(new TextChange(index, -1));
                }
            }
        }
        return changes;
    }

    /**
     * Applies one of this site's own deltas not acknowledged yet again, on a replica just loaded
     * from a snapshot of the server's log: all of it but the inserts under a counter up to {@code
     * logged} that the replica neither has nor remembers deleting. The log took those, and they
     * were deleted since (their acks were lost); a server that forgot the deletes cannot tell
     * otherwise (docs/lseq.md, "Forgetting deletes").
     *
     * @param logged {@link #highestCounter highestCounter(site())} as the snapshot loaded
     * @return the changes to the text
     */
    public List<TextChange> reapplyOwn(Delta delta, int logged) {
        List<Operation> operations = new ArrayList<>(delta.size());
        for (Operation operation : delta.operations()) {
            boolean deletedSince =
                    operation instanceof Insert && operation.id().counter() <= logged && !hasSeen(operation.id());
            if (!deletedSince) {
                operations.add(operation);
            }
        }
        return apply(operations.size() == delta.size() ? delta : new Delta(operations));
    }

    /** Whether the character of {@code id} is in the text now. */
    public boolean contains(Identifier id) {
        return elements.valueOf(id) >= 0;
    }

    /**
     * The highest counter of {@code site} among the inserts this replica has received (applied,
     * made here, or kept out by a remembered delete), or -1 if none. A replica that gets each
     * site's inserts in counter order knows from it that an absent insert under a lower counter was
     * deleted, even after forgetting the delete (docs/lseq.md, "Forgetting deletes").
     */
    public int highestCounter(int site) {
        return received.highest(site);
    }

    /**
     * Whether this replica has applied the insert of {@code id} or remembers its delete. A server
     * uses it to tell a resent operation from a forged one that reuses a site's counter.
     */
    public boolean hasSeen(Identifier id) {
        return elements.valueOf(id) >= 0 || tombstones.contains(id);
    }

    /**
     * The operations of {@code delta} that {@link #apply} would still change something with: what
     * a server stores and forwards, so that a resent delta costs nothing downstream. Changes nothing.
     *
     * @throws InvalidDeltaException if any operation is invalid, as {@link #apply} would
     */
    public Delta unseen(Delta delta) {
        checkApplicable(delta);
        List<Operation> fresh = new ArrayList<>(delta.size());
        for (Operation operation : delta.operations()) {
            boolean seen = operation instanceof Insert ? hasSeen(operation.id()) : tombstones.contains(operation.id());
            if (!seen) {
                fresh.add(operation);
            }
        }
        return fresh.size() == delta.size() ? delta : new Delta(fresh);
    }

    /** Rejects the delta before anything is applied, so that a bad one leaves no trace. */
    private void checkApplicable(Delta delta) {
        Map<Identifier, Integer> insertedHere = null;
        for (Operation operation : delta.operations()) {
            parameters.check(operation.id());
            if (operation instanceof Insert insert) {
                int existing = elements.valueOf(insert.id());
                if (existing >= 0 && existing != insert.codePoint()) {
                    throw new InvalidDeltaException(
                            "identifier " + insert.id() + " already holds a different character");
                }
                if (delta.size() > 1) {
                    insertedHere = insertedHere == null ? new HashMap<>() : insertedHere;
                    Integer earlier = insertedHere.putIfAbsent(insert.id(), insert.codePoint());
                    if (earlier != null && earlier != insert.codePoint()) {
                        throw new InvalidDeltaException(
                                "identifier " + insert.id() + " is inserted twice with different characters");
                    }
                }
            }
        }
    }

    public String text() {
        StringBuilder text = new StringBuilder(elements.size());
        elements.forEach((id, codePoint) -> text.appendCodePoint(codePoint));
        return text.toString();
    }

    /** Number of characters (code points). */
    public int length() {
        return elements.size();
    }

    public Identifier identifierAt(int index) {
        return elements.idAt(index);
    }

    /** Every live identifier, in document order. */
    public List<Identifier> identifiers() {
        List<Identifier> ids = new ArrayList<>(elements.size());
        elements.forEach((id, codePoint) -> ids.add(id));
        return ids;
    }

    public int site() {
        return site;
    }

    public int nextCounter() {
        return nextCounter;
    }

    public LseqParameters parameters() {
        return parameters;
    }

    /** Number of deletes still remembered. */
    public int tombstoneCount() {
        return tombstones.size();
    }

    /** The mark the next remembered delete gets; pass a mark taken earlier to {@link #forgetDeletesBefore}. */
    public long deleteMark() {
        return tombstones.nextMark();
    }

    /**
     * Forgets deletes remembered before {@code mark}. Safe once no replica can still deliver an
     * insert of those identifiers (see docs/lseq.md, "Forgetting deletes").
     *
     * @return how many were forgotten
     */
    public int forgetDeletesBefore(long mark) {
        return tombstones.forgetBefore(mark);
    }

    void forEachElement(ElementList.ElementVisitor visitor) {
        elements.forEach(visitor);
    }

    /** The remembered deletes as (site, counter) keys (see {@link Tombstones}), oldest first. */
    long[] deletedKeys() {
        return tombstones.keysInRecordingOrder();
    }

    /** Loads one element of a snapshot, after all loaded so far; then call {@link #finishLoading}. */
    void load(Identifier id, int codePoint) {
        elements.append(id, codePoint);
        received.raise(id.site(), id.counter());
    }

    void finishLoading() {
        elements.finishAppending();
    }

    void loadDeleted(long key) {
        tombstones.addKey(key);
        received.raise(Tombstones.site(key), Tombstones.counter(key));
    }

    void loadReceived(int site, int counter) {
        received.raise(site, counter);
    }

    /** The highest counter received per site, ordered by site, as {@code site << 32 | counter}. */
    long[] highestCountersBySite() {
        return received.pairsBySite();
    }

    private static void checkIndex(int index, int length) {
        if (index < 0 || index > length) {
            throw new IndexOutOfBoundsException("index " + index + " outside 0.." + length);
        }
    }

    /** The code points of {@code text}, refusing lone surrogates that would corrupt every replica. */
    static int[] codePointsOf(String text) {
        int[] codePoints = text.codePoints().toArray();
        for (int codePoint : codePoints) {
            if (codePoint >= Character.MIN_SURROGATE && codePoint <= Character.MAX_SURROGATE) {
                throw new IllegalArgumentException("text is not well-formed UTF-16: lone surrogate at code point "
                        + Integer.toHexString(codePoint));
            }
        }
        return codePoints;
    }
}
