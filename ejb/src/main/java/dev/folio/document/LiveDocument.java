package dev.folio.document;

import dev.folio.document.DeltaSubscriber.Closure;
import dev.folio.lseq.Delta;
import dev.folio.lseq.Identifier;
import dev.folio.lseq.InvalidDeltaException;
import dev.folio.lseq.Operation;
import dev.folio.lseq.Operation.Insert;
import dev.folio.lseq.Replica;
import dev.folio.lseq.SnapshotCodec;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * One open document: the server's replica, its versions, the recent deltas a rejoining client
 * catches up from, and the accepted deltas waiting to be stored. An accepted delta is acknowledged
 * and forwarded only once stored, in version order. Not thread-safe: {@link DocumentManager} holds
 * the document's lock around every call.
 */
final class LiveDocument {

    /** The server's own replica never inserts, so it takes site 0, which no client is given. */
    static final int SERVER_SITE = 0;

    private final UUID id;
    private final Replica replica;
    private final int catchUpLimit;

    private long version;
    private long durableVersion;
    private long snapshotVersion;
    private long snapshotTakenVersion;
    private long lastActivityNanos = System.nanoTime();
    private long lastSnapshotNanos = lastActivityNanos;

    /** Stored deltas a rejoining client can catch up from, oldest first, at most catchUpLimit. */
    private final ArrayDeque<AcceptedDelta> recent = new ArrayDeque<>();

    /** Versions of the recent deltas, by {@link #opKey}: an opId is unique only per client. */
    private final Map<String, Long> recentVersions = new HashMap<>();

    private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
    private final Map<String, Waiting> waitingByOpId = new HashMap<>();
    private boolean storing;
    private final Map<Integer, Integer> highestCounters = new HashMap<>();
    private final Set<DeltaSubscriber> subscribers = new LinkedHashSet<>();
    private final List<PendingJoin> pendingJoins = new ArrayList<>();

    private LiveDocument(UUID id, Replica replica, long snapshotVersion, int catchUpLimit) {
        this.id = id;
        this.replica = replica;
        this.catchUpLimit = catchUpLimit;
        this.version = snapshotVersion;
        this.durableVersion = snapshotVersion;
        this.snapshotVersion = snapshotVersion;
        this.snapshotTakenVersion = snapshotVersion;
        for (Identifier identifier : replica.identifiers()) {
            highestCounters.merge(identifier.site(), identifier.counter(), Math::max);
        }
    }

    /**
     * The document as stored: its snapshot (null for a document never snapshotted) and the deltas
     * stored after it, in version order.
     */
    static LiveDocument restore(
            UUID id, byte[] snapshot, long snapshotVersion, List<AcceptedDelta> after, int catchUpLimit) {
        Replica replica = snapshot == null ? new Replica(SERVER_SITE) : SnapshotCodec.decode(snapshot, SERVER_SITE, 0);
        LiveDocument document = new LiveDocument(id, replica, snapshotVersion, catchUpLimit);
        for (AcceptedDelta delta : after) {
            document.replica.apply(delta.delta());
            document.countInserts(delta.delta());
            document.version = delta.version();
            document.durableVersion = delta.version();
            document.remember(delta);
        }
        return document;
    }

    UUID id() {
        return id;
    }

    /**
     * Registers the subscriber and brings it up to date: with the stored deltas after {@code
     * fromVersion} when it has them all and they are few, otherwise with a snapshot.
     *
     * @param fromVersion the last version the subscriber processed, or -1 if it has nothing
     */
    void join(DeltaSubscriber subscriber, long fromVersion) {
        touch();
        long oldestKept =
                recent.isEmpty() ? durableVersion + 1 : recent.peekFirst().version();
        boolean canCatchUp = fromVersion >= 0 && fromVersion <= durableVersion && fromVersion + 1 >= oldestKept;
        if (canCatchUp) {
            subscribers.add(subscriber);
            subscriber.joined(fromVersion, null);
            recent.stream().filter(d -> d.version() > fromVersion).forEach(subscriber::deliver);
        } else {
            // The replica holds the waiting deltas too: the snapshot goes out once they are
            // stored, so that no client ever holds a version the store could still lose.
            pendingJoins.add(new PendingJoin(subscriber, version, SnapshotCodec.encode(replica)));
            releaseJoins();
        }
    }

    private void releaseJoins() {
        for (var pending = pendingJoins.iterator(); pending.hasNext(); ) {
            PendingJoin join = pending.next();
            if (join.version <= durableVersion) {
                pending.remove();
                subscribers.add(join.subscriber);
                join.subscriber.joined(join.version, join.snapshot);
            }
        }
    }

    void leave(DeltaSubscriber subscriber) {
        touch();
        subscribers.remove(subscriber);
        pendingJoins.removeIf(join -> join.subscriber == subscriber);
    }

    /**
     * Accepts a delta from {@code origin}. A delta seen before under the same operation id is
     * acknowledged again, with the version it got, and changes nothing.
     *
     * @return true when the caller must start storing the waiting deltas ({@link #nextBatch})
     * @throws RefusedDeltaException if the delta is invalid or not the origin's to make; then
     *     nothing changed
     */
    boolean accept(DeltaSubscriber origin, String opId, Delta delta) {
        touch();
        String key = opKey(origin.site(), opId);
        Long earlier = recentVersions.get(key);
        if (earlier != null) {
            origin.acknowledged(opId, earlier);
            return false;
        }
        Waiting alreadyWaiting = waitingByOpId.get(key);
        if (alreadyWaiting != null) {
            alreadyWaiting.acks.add(new Ack(origin, opId));
            return false;
        }
        checkOwnership(origin.site(), delta);
        Delta fresh;
        try {
            fresh = replica.unseen(delta);
        } catch (InvalidDeltaException e) {
            throw new RefusedDeltaException(e.getMessage());
        }
        if (fresh.isEmpty()) {
            acknowledgeWithoutVersion(origin, opId);
            return false;
        }
        replica.apply(fresh);
        countInserts(fresh);
        version++;
        Waiting accepted = new Waiting(new AcceptedDelta(version, opId, origin.site(), fresh), origin);
        waiting.addLast(accepted);
        waitingByOpId.put(key, accepted);
        boolean mustStartStoring = !storing;
        storing = true;
        return mustStartStoring;
    }

    /**
     * A delta that changes nothing needs no version, but its ack must not overtake the deltas
     * waiting to be stored: one of them may be what made it change nothing.
     */
    private void acknowledgeWithoutVersion(DeltaSubscriber origin, String opId) {
        if (waiting.isEmpty()) {
            origin.acknowledged(opId, 0);
        } else {
            waiting.peekLast().acks.add(new Ack(origin, opId));
        }
    }

    /**
     * Inserts carry the sender's site, and a counter the site used before only for the very same
     * identifier (a resend). Deletes name a character this document has or had: every character
     * a client can see came through here first. Anything else would let one client forge, shadow
     * or pin another's text.
     */
    private void checkOwnership(int site, Delta delta) {
        int highest = highestCounters.getOrDefault(site, -1);
        Map<Integer, Identifier> countersHere = new HashMap<>();
        for (Operation operation : delta.operations()) {
            if (!(operation instanceof Insert insert)) {
                Identifier deleted = operation.id();
                boolean insertedHere = deleted.site() == site && deleted.equals(countersHere.get(deleted.counter()));
                if (!insertedHere && !replica.hasSeen(deleted)) {
                    throw new RefusedDeltaException("delete of " + deleted + ", a character this document never had");
                }
            } else {
                Identifier identifier = insert.id();
                if (identifier.site() != site) {
                    throw new RefusedDeltaException("insert " + identifier + " names site " + identifier.site()
                            + ", but the sender is site " + site);
                }
                Identifier sameCounter = countersHere.putIfAbsent(identifier.counter(), identifier);
                boolean reusedHere = sameCounter != null && !sameCounter.equals(identifier);
                boolean reusedBefore = identifier.counter() <= highest && !replica.hasSeen(identifier);
                if (reusedHere || reusedBefore) {
                    throw new RefusedDeltaException(
                            "insert " + identifier + " reuses counter " + identifier.counter() + " of site " + site);
                }
            }
        }
    }

    private void countInserts(Delta delta) {
        for (Operation operation : delta.operations()) {
            if (operation instanceof Insert insert) {
                highestCounters.merge(insert.id().site(), insert.id().counter(), Math::max);
            }
        }
    }

    /**
     * The accepted deltas not stored yet, in version order; empty when there are none, and then
     * the storing has ended.
     */
    List<AcceptedDelta> nextBatch() {
        if (waiting.isEmpty()) {
            storing = false;
            return List.of();
        }
        List<AcceptedDelta> batch = new ArrayList<>(waiting.size());
        waiting.forEach(w -> batch.add(w.delta));
        return batch;
    }

    /** The batch from {@link #nextBatch} is stored: acknowledge and forward it, in version order. */
    void stored(List<AcceptedDelta> batch) {
        for (int i = 0; i < batch.size(); i++) {
            Waiting done = waiting.removeFirst();
            waitingByOpId.remove(opKey(done.delta.site(), done.delta.opId()));
            durableVersion = done.delta.version();
            remember(done.delta);
            // A copy: a subscriber may leave while it is being sent to.
            for (DeltaSubscriber subscriber : List.copyOf(subscribers)) {
                if (subscriber != done.origin) {
                    subscriber.deliver(done.delta);
                }
            }
            done.origin.acknowledged(done.delta.opId(), done.delta.version());
            for (Ack ack : done.acks) {
                ack.subscriber.acknowledged(
                        ack.opId, recentVersions.getOrDefault(opKey(ack.subscriber.site(), ack.opId), 0L));
            }
            releaseJoins();
        }
    }

    /**
     * Storing failed: what this replica holds beyond the store can no longer be acknowledged.
     * Every subscriber is told to join again, which reloads the document from the store; clients
     * resend what was not acknowledged.
     */
    void storeFailed() {
        close(Closure.UNAVAILABLE);
    }

    void close(Closure reason) {
        List<DeltaSubscriber> leaving = new ArrayList<>(subscribers);
        pendingJoins.forEach(join -> leaving.add(join.subscriber));
        pendingJoins.clear();
        subscribers.clear();
        leaving.forEach(subscriber -> subscriber.closed(reason));
    }

    private void remember(AcceptedDelta delta) {
        recent.addLast(delta);
        recentVersions.put(opKey(delta.site(), delta.opId()), delta.version());
        while (recent.size() > catchUpLimit) {
            AcceptedDelta forgotten = recent.removeFirst();
            recentVersions.remove(opKey(forgotten.site(), forgotten.opId()));
        }
    }

    private static String opKey(int site, String opId) {
        return site + ":" + opId;
    }

    /**
     * Whether a snapshot is due: {@code everyOperations} deltas or {@code everyNanos} since the
     * last one taken.
     */
    boolean snapshotDue(long everyOperations, long everyNanos) {
        long unsaved = version - snapshotTakenVersion;
        return unsaved > 0 && (unsaved >= everyOperations || System.nanoTime() - lastSnapshotNanos >= everyNanos);
    }

    boolean hasUnsavedChanges() {
        return version > snapshotVersion;
    }

    /**
     * The replica's state now, at {@link #version()}. Only ever stored once everything in it is
     * stored: take it when nothing waits, or right after {@link #nextBatch} (which takes all that
     * waits) for after that batch is stored. Otherwise a crash could leave a snapshot with deltas
     * whose versions the reloaded document gives to others.
     */
    Snapshot snapshot() {
        snapshotTakenVersion = version;
        lastSnapshotNanos = System.nanoTime();
        return new Snapshot(SnapshotCodec.encode(replica), version);
    }

    /** Nothing waits to be stored: the replica is exactly what the store holds. */
    boolean allStored() {
        return waiting.isEmpty();
    }

    void snapshotStored(long storedVersion) {
        snapshotVersion = Math.max(snapshotVersion, storedVersion);
    }

    /** Writing the snapshot taken at this version failed: take the next one as if it had not been. */
    void snapshotFailed() {
        snapshotTakenVersion = snapshotVersion;
    }

    /** No subscriber, nothing waiting, and no activity for {@code idleNanos}. */
    boolean idle(long idleNanos) {
        return subscribers.isEmpty() && !storing && System.nanoTime() - lastActivityNanos >= idleNanos;
    }

    long version() {
        return version;
    }

    long durableVersion() {
        return durableVersion;
    }

    int subscriberCount() {
        return subscribers.size();
    }

    String text() {
        return replica.text();
    }

    int length() {
        return replica.length();
    }

    private void touch() {
        lastActivityNanos = System.nanoTime();
    }

    /** An accepted delta waiting to be stored, and who to acknowledge once it is. */
    private static final class Waiting {
        final AcceptedDelta delta;
        final DeltaSubscriber origin;
        final List<Ack> acks = new ArrayList<>(0);

        Waiting(AcceptedDelta delta, DeltaSubscriber origin) {
            this.delta = delta;
            this.origin = origin;
        }
    }

    private record Ack(DeltaSubscriber subscriber, String opId) {}

    /** A snapshot of the replica covering every delta up to {@code version}. */
    record Snapshot(byte[] bytes, long version) {}

    /** A subscriber waiting for its snapshot until the deltas in it are stored. */
    private record PendingJoin(DeltaSubscriber subscriber, long version, byte[] snapshot) {}
}
