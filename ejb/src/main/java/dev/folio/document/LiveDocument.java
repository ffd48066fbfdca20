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
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.logging.Logger;

/**
 * One open document on one node. Two paths meet here:
 *
 * <ul>
 *   <li>the <b>log</b>: every record of the document, from every node, in log order ({@link
 *       #logged}). The replica is exactly these records applied in order, so every node holding
 *       the document has the same text at the same version; versions count the deltas that changed
 *       something. Subscribers get those deltas, and the clients that sent them their acks.
 *   <li>the <b>accepting</b>: a client's delta is checked against the replica and what this node
 *       sent to the log but has not seen come back ({@link #accept}), queued, and published in
 *       batches ({@link #nextBatch}, {@link #published}). It changes nothing here until it comes
 *       back from the log.
 * </ul>
 *
 * Not thread-safe: {@link DocumentManager} holds the document's lock around every call.
 */
final class LiveDocument {

    private static final Logger LOG = Logger.getLogger(LiveDocument.class.getName());

    /** The server's own replica never inserts, so it takes site 0, which no client is given. */
    static final int SERVER_SITE = 0;

    /** A catch-up of at most this many bytes of deltas is sent as deltas without a look at the snapshot. */
    static final int CATCH_UP_WITHOUT_COMPARING_BYTES = 64 * 1024;

    /** The error a client gets for a delta the log refused (see {@link #dropped}). */
    static final String NOT_STORED = "not-stored";

    private static final String NOT_STORED_MESSAGE =
            "the log refused this edit (the server's Kafka limits); it was not saved";

    /** At most this many deltas go in one log record, and at most {@link LogLimits#MAX_RECORD_BYTES}. */
    static final int MAX_BATCH = 256;

    private final UUID id;
    private final Replica replica;
    private final int catchUpLimit;

    private long version;
    private long logOffset;
    private long snapshotVersion;
    private long snapshotTakenVersion;
    private long lastActivityNanos = System.nanoTime();
    private long lastSnapshotNanos = lastActivityNanos;
    private boolean deleted;
    /** The last snapshot was near what a snapshot may be (LogLimits): no more edits are taken. */
    private boolean snapshotNearLimit;

    /** Deltas a rejoining client can catch up from, oldest first, at most catchUpLimit. */
    private final ArrayDeque<AcceptedDelta> recent = new ArrayDeque<>();

    /** The recent deltas by {@link #opKey}: an opId is unique only per client. */
    private final Map<String, AcceptedDelta> recentByOpKey = new HashMap<>();

    /** Accepted here, not published yet, oldest first. */
    private final ArrayDeque<Queued> unpublished = new ArrayDeque<>();

    private boolean publishing;

    /** The group commit's rounds on their way to the log: the next waits while too many are. */
    private final RoundsInFlight roundsOnTheirWay;

    /** How long the next round waits for the last one to come back from the log before it goes anyway. */
    static final long ROUND_PATIENCE_NANOS = 1_000_000_000L;

    /** The deltas accepted here and not back from the log, by {@link #opKey}, with who waits for their ack. */
    private final Map<String, Awaited> awaitingLog = new HashMap<>();

    /**
     * Inserts accepted here and not back from the log yet, with their characters: later deltas of
     * their clients may name them.
     */
    private final Map<Identifier, Integer> insertsInFlight = new HashMap<>();

    private final Map<Integer, Integer> highestCounters = new HashMap<>();
    private final Set<DeltaSubscriber> subscribers = new LinkedHashSet<>();
    private final List<PendingJoin> pendingJoins = new ArrayList<>();

    private LiveDocument(
            UUID id, Replica replica, long snapshotVersion, long logOffset, int catchUpLimit, int roundsInFlight) {
        this.id = id;
        this.roundsOnTheirWay = new RoundsInFlight(roundsInFlight);
        this.replica = replica;
        this.catchUpLimit = catchUpLimit;
        this.version = snapshotVersion;
        this.logOffset = logOffset;
        this.snapshotVersion = snapshotVersion;
        this.snapshotTakenVersion = snapshotVersion;
        for (Identifier identifier : replica.identifiers()) {
            highestCounters.merge(identifier.site(), identifier.counter(), Math::max);
        }
    }

    /**
     * The document from its stored snapshot (null for a document never snapshotted) and the log
     * records after the one the snapshot covers.
     */
    static LiveDocument restore(UUID id, StoredState stored, List<LoggedBatch> after, int catchUpLimit) {
        return restore(id, stored, after, catchUpLimit, 1);
    }

    /** As {@link #restore(UUID, StoredState, List, int)}, with up to {@code roundsInFlight} rounds on their way. */
    static LiveDocument restore(
            UUID id, StoredState stored, List<LoggedBatch> after, int catchUpLimit, int roundsInFlight) {
        Replica replica = stored.snapshot() == null
                ? new Replica(SERVER_SITE)
                : SnapshotCodec.decode(stored.snapshot(), SERVER_SITE, 0);
        // The received counters stand for them (see newOperations); a snapshot of before had them.
        replica.forgetDeletesBefore(replica.deleteMark());
        LiveDocument document = new LiveDocument(
                id, replica, stored.snapshotVersion(), stored.logOffset(), catchUpLimit, roundsInFlight);
        after.forEach(document::logged);
        return document;
    }

    UUID id() {
        return id;
    }

    /**
     * Registers the subscriber and brings it up to date: with the deltas after {@code
     * fromVersion} when it has them all and they are few, otherwise with a snapshot. A subscriber
     * ahead of this node (it comes from a node further along the log) waits until the log brings
     * the node there, or until {@code waitNanos}, then gets a snapshot: a snapshot older than what
     * the client holds would make it resend edits built on text this node has not seen yet.
     *
     * @param fromVersion the last version the subscriber processed, or -1 if it has nothing
     */
    void join(DeltaSubscriber subscriber, long fromVersion, long waitNanos) {
        touch();
        if (fromVersion > version && waitNanos > 0) {
            pendingJoins.add(new PendingJoin(subscriber, fromVersion, System.nanoTime() + waitNanos));
            return;
        }
        subscribers.add(subscriber);
        long oldestKept = recent.isEmpty() ? version + 1 : recent.peekFirst().version();
        if (fromVersion >= 0 && fromVersion <= version && fromVersion + 1 >= oldestKept) {
            List<AcceptedDelta> missed =
                    recent.stream().filter(d -> d.version() > fromVersion).toList();
            byte[] smaller = snapshotIfSmaller(missed);
            if (smaller != null) {
                subscriber.joined(version, smaller);
                return;
            }
            subscriber.joined(fromVersion, null);
            missed.forEach(subscriber::deliver);
        } else {
            subscriber.joined(version, SnapshotCodec.encode(replica));
        }
    }

    /**
     * The snapshot, when it is smaller than the deltas a catch-up would send: a short join must not
     * make the node send megabytes of history (issue 19). Deltas that weigh little are sent as they
     * are, without encoding a snapshot to compare.
     */
    private byte[] snapshotIfSmaller(List<AcceptedDelta> missed) {
        long deltaBytes = 0;
        for (AcceptedDelta delta : missed) {
            deltaBytes += LogLimits.jsonBytesAtMost(delta.delta());
        }
        if (deltaBytes <= CATCH_UP_WITHOUT_COMPARING_BYTES) {
            return null;
        }
        byte[] snapshot = SnapshotCodec.encode(replica);
        // The snapshot goes out in base64: four characters for three bytes.
        return 4L * snapshot.length / 3 < deltaBytes ? snapshot : null;
    }

    /** Lets in the waiting joins the log has caught up with, and, at their deadline, the others. */
    void releaseJoins(long nowNanos) {
        for (var waiting = pendingJoins.iterator(); waiting.hasNext(); ) {
            PendingJoin join = waiting.next();
            if (join.fromVersion <= version) {
                waiting.remove();
                join(join.subscriber, join.fromVersion, 0);
            } else if (nowNanos - join.deadlineNanos >= 0) {
                waiting.remove();
                LOG.info(() -> "document " + id + ": a client at version " + join.fromVersion
                        + " is ahead of this node's " + version + "; it gets a snapshot");
                join(join.subscriber, -1, 0);
            }
        }
    }

    void leave(DeltaSubscriber subscriber) {
        touch();
        subscribers.remove(subscriber);
        pendingJoins.removeIf(join -> join.subscriber == subscriber);
        awaitingLog.values().forEach(awaited -> awaited.acks.removeIf(ack -> ack.subscriber == subscriber));
    }

    /**
     * Accepts a delta from {@code origin} for the log. The origin is acknowledged once the delta is
     * back from the log; a delta the log already has under this operation id is acknowledged at
     * once, with the version it got. The same operation id with other operations is refused. A delta
     * from a subscriber being closed is ignored.
     *
     * @return true when the caller must start publishing ({@link #nextBatch})
     * @throws RefusedDeltaException if the delta is invalid or not the origin's to make; then
     *     nothing changed
     */
    boolean accept(DeltaSubscriber origin, String opId, Delta delta) {
        return accept(origin, opId, delta, Integer.MAX_VALUE);
    }

    /**
     * As {@link #accept(DeltaSubscriber, String, Delta)}, refusing ({@code document-too-large}) a
     * delta whose inserts would take the document beyond {@code maxCharacters}, counting the
     * inserts still on their way through the log. A delta too large for the event log is refused
     * too ({@code delta-too-large}, {@link LogLimits#MAX_DELTA_JSON_BYTES}).
     */
    boolean accept(DeltaSubscriber origin, String opId, Delta delta, int maxCharacters) {
        touch();
        if (origin.isClosing()) {
            // Its session was closed (this document's predecessor unloaded, say) while the delta
            // waited for the lock: taken now, it would enter ahead of the deltas before it that were
            // lost with the old document. The client joins again and resends them all, in order.
            return false;
        }
        if (!SubmittedDelta.isValidOpId(opId)) {
            throw new RefusedDeltaException("an opId has 1 to 128 characters, and no lone surrogate");
        }
        String key = opKey(origin.site(), opId);
        AcceptedDelta logged = recentByOpKey.get(key);
        if (logged != null) {
            checkResend(origin.site(), opId, delta, logged.delta());
            origin.acknowledged(opId, logged.version());
            return false;
        }
        Awaited waiting = awaitingLog.get(key);
        if (waiting != null) {
            checkResend(origin.site(), opId, delta, waiting.queued);
            waiting.acks.add(new Ack(origin, opId));
            return false;
        }
        checkOwnership(origin.site(), delta);
        Delta fresh = checkedUnseen(delta);
        if (fresh.isEmpty()) {
            // The log already has all of it (under another operation id).
            origin.acknowledged(opId, 0);
            return false;
        }
        if (!LogLimits.fitsTheEventLog(fresh)) {
            // DynamoDB would refuse its event: the log would hold it, the event log never.
            throw new RefusedDeltaException(
                    "delta-too-large",
                    "a delta takes at most " + LogLimits.MAX_DELTA_JSON_BYTES + " bytes as JSON; send it in parts");
        }
        if (snapshotNearLimit) {
            throw new RefusedDeltaException(
                    "document-too-large",
                    "this document's history is near the largest snapshot the server can keep; it takes no more edits");
        }
        long inserts =
                fresh.operations().stream().filter(Insert.class::isInstance).count();
        if (inserts > 0 && replica.length() + insertsInFlight.size() + inserts > maxCharacters) {
            throw new RefusedDeltaException(
                    "document-too-large", "a document has at most " + maxCharacters + " characters");
        }
        for (Operation operation : fresh.operations()) {
            if (operation instanceof Insert insert) {
                insertsInFlight.put(insert.id(), insert.codePoint());
                highestCounters.merge(insert.id().site(), insert.id().counter(), Math::max);
            }
        }
        SubmittedDelta submitted = new SubmittedDelta(opId, origin.site(), fresh, origin.userId());
        unpublished.addLast(new Queued(submitted, DeltaBatchCodec.entryBytes(submitted)));
        awaitingLog.put(key, new Awaited(fresh, new ArrayList<>(List.of(new Ack(origin, opId)))));
        return startPublishing();
    }

    /** Whether a round must start now: none is being published, and not too many are on their way. */
    private boolean startPublishing() {
        if (publishing || roundsOnTheirWay.full() || unpublished.isEmpty()) {
            return false;
        }
        publishing = true;
        return true;
    }

    /**
     * A delta sent again under its operation id must be the delta first sent under it. The document
     * kept only what it took of that one, {@code earlier}: the operations that were new to it,
     * queued here or applied from the log (the log carries nothing else). So the resend must hold
     * all of {@code earlier}, and nothing beyond it that the document has not seen. Anything else
     * under a used opId would be acknowledged and never applied.
     *
     * @throws RefusedDeltaException if {@code delta} is not what was sent under {@code opId}
     */
    private void checkResend(int site, String opId, Delta delta, Delta earlier) {
        if (delta.equals(earlier)) {
            return; // the usual resend: nothing was trimmed
        }
        if (!new HashSet<>(delta.operations()).containsAll(earlier.operations())) {
            throw reusedOpId(opId);
        }
        checkOwnership(site, delta);
        Set<Operation> taken = new HashSet<>(earlier.operations());
        if (!taken.containsAll(checkedUnseen(delta).operations())) {
            throw reusedOpId(opId);
        }
    }

    private static RefusedDeltaException reusedOpId(String opId) {
        return new RefusedDeltaException("opId " + opId + " was used before for other operations");
    }

    /** What of a client's {@code delta} is new to the document, counting what is on its way. */
    private Delta checkedUnseen(Delta delta) {
        try {
            return newOperations(delta, true);
        } catch (InvalidDeltaException e) {
            throw new RefusedDeltaException(e.getMessage());
        }
    }

    /**
     * What of {@code delta} still changes the document. The log brings each site's inserts in
     * counter order (a client sends them so, resends them so, and each node publishes in the order
     * it accepted), and every delete after the insert it names. So an absent insert under a counter
     * the replica has received was deleted since, and a delete of an absent character repeats one:
     * the replica needs no memory of deletes to tell, and forgets them all (docs/lseq.md,
     * "Forgetting deletes"). When {@code accepting}, the inserts this node sent to the log and has
     * not seen back count as present.
     *
     * @throws InvalidDeltaException if the replica refuses the delta
     */
    private Delta newOperations(Delta delta, boolean accepting) {
        Delta unseen = replica.unseen(delta);
        List<Operation> fresh = new ArrayList<>(unseen.size());
        Set<Identifier> insertedHere = null;
        for (Operation operation : unseen.operations()) {
            Identifier id = operation.id();
            boolean inFlight = accepting && insertsInFlight.containsKey(id);
            if (operation instanceof Insert) {
                if (inFlight || id.counter() > replica.highestCounter(id.site())) {
                    fresh.add(operation);
                    if (unseen.size() > 1) {
                        insertedHere = insertedHere == null ? new HashSet<>() : insertedHere;
                        insertedHere.add(id);
                    }
                }
            } else if (inFlight || replica.contains(id) || (insertedHere != null && insertedHere.contains(id))) {
                fresh.add(operation);
            }
        }
        return fresh.size() == unseen.size() ? unseen : new Delta(fresh);
    }

    /**
     * Inserts carry the sender's site, and a counter the site used before only for the very same
     * identifier (a resend). Deletes name a character this document has or had, or one of the
     * sender's inserts on its way through the log: every character a client can see came through
     * here first. Anything else would let one client forge, shadow or pin another's text.
     */
    private void checkOwnership(int site, Delta delta) {
        int highest = Math.max(highestCounters.getOrDefault(site, -1), replica.highestCounter(site));
        Set<Long> held = heldPairsNamedBy(delta);
        Map<Integer, Insert> countersHere = new HashMap<>();
        for (Operation operation : delta.operations()) {
            if (!(operation instanceof Insert insert)) {
                Identifier deleted = operation.id();
                Insert here = countersHere.get(deleted.counter());
                boolean insertedHere = deleted.site() == site && here != null && deleted.equals(here.id());
                if (!insertedHere && !known(deleted, held)) {
                    throw new RefusedDeltaException("delete of " + deleted + ", a character this document never had");
                }
            } else {
                Identifier identifier = insert.id();
                if (identifier.site() != site) {
                    throw new RefusedDeltaException("insert " + identifier + " names site " + identifier.site()
                            + ", but the sender is site " + site);
                }
                Insert sameCounter = countersHere.putIfAbsent(identifier.counter(), insert);
                boolean reusedHere = sameCounter != null && !sameCounter.equals(insert);
                // A resend of an insert still on its way through the log must be the same character:
                // the replica cannot tell yet, and the log would drop the second one unacknowledged.
                Integer inFlight = insertsInFlight.get(identifier);
                if (inFlight != null && inFlight != insert.codePoint()) {
                    throw new RefusedDeltaException(
                            "insert " + identifier + " is already on its way with a different character");
                }
                boolean reusedBefore = identifier.counter() <= highest && !known(identifier, held);
                if (reusedHere || reusedBefore) {
                    throw new RefusedDeltaException(
                            "insert " + identifier + " reuses counter " + identifier.counter() + " of site " + site);
                }
            }
        }
    }

    /**
     * Whether the document has or had {@code identifier}'s character, or it is on its way. One it
     * had may be long deleted and forgotten: then its counter was received, and no character now
     * present holds its (site, counter) under another identifier ({@code held}).
     */
    private boolean known(Identifier identifier, Set<Long> held) {
        if (replica.hasSeen(identifier) || insertsInFlight.containsKey(identifier)) {
            return true;
        }
        return identifier.counter() <= replica.highestCounter(identifier.site()) && !held.contains(pair(identifier));
    }

    /**
     * The (site, counter) pairs of present characters that {@code delta} names under another
     * identifier: only a forged delta does. What looks like one at first (a pair received before,
     * under an identifier the document does not have) is otherwise a resend of a character deleted
     * since, or a delete of it by a second person, so the scan of the text it takes is rare.
     */
    private Set<Long> heldPairsNamedBy(Delta delta) {
        Set<Long> doubtful = null; // most deltas name nothing doubtful: no set made for them
        for (Operation operation : delta.operations()) {
            Identifier id = operation.id();
            if (id.counter() <= replica.highestCounter(id.site())
                    && !replica.hasSeen(id)
                    && !insertsInFlight.containsKey(id)) {
                doubtful = doubtful == null ? new HashSet<>() : doubtful;
                doubtful.add(pair(id));
            }
        }
        if (doubtful == null) {
            return Set.of();
        }
        Set<Long> held = new HashSet<>();
        for (Identifier present : replica.identifiers()) {
            if (doubtful.contains(pair(present))) {
                held.add(pair(present));
            }
        }
        return held;
    }

    private static long pair(Identifier id) {
        return ((long) id.site() << 32) | id.counter();
    }

    /**
     * The accepted deltas to publish next, oldest first: at most {@link #MAX_BATCH}, and at most
     * {@link LogLimits#MAX_RECORD_BYTES} as a record (Kafka refuses a larger one), but always one,
     * which fits since {@link #accept} refuses deltas too large for the event log. Empty when there
     * are none, and then the publishing has ended.
     */
    List<SubmittedDelta> nextBatch() {
        if (unpublished.isEmpty() || roundsOnTheirWay.full()) {
            publishing = false;
            return List.of();
        }
        List<SubmittedDelta> batch = new ArrayList<>(Math.min(unpublished.size(), MAX_BATCH));
        long recordBytes = DeltaBatchCodec.HEADER_BYTES;
        for (Queued queued : unpublished) {
            recordBytes += queued.recordBytes;
            boolean full = batch.size() == MAX_BATCH || (!batch.isEmpty() && recordBytes > LogLimits.MAX_RECORD_BYTES);
            if (full) {
                break;
            }
            batch.add(queued.delta);
        }
        return batch;
    }

    /** The batch from {@link #nextBatch} is durable on its way to the log. */
    void published(List<SubmittedDelta> batch) {
        Set<String> awaited = new HashSet<>();
        for (SubmittedDelta delta : batch) {
            unpublished.removeFirst();
            String key = opKey(delta.site(), delta.opId());
            if (awaitingLog.containsKey(key)) {
                awaited.add(key);
            }
        }
        roundsOnTheirWay.published(awaited, System.nanoTime());
    }

    /**
     * The last round has been on its way for longer than {@link #ROUND_PATIENCE_NANOS} (the log
     * is slow or away): the next one goes without it.
     *
     * @return true when the caller must start publishing ({@link #nextBatch})
     */
    boolean stopWaitingForOverdueRound(long nowNanos) {
        if (!roundsOnTheirWay.overdue(nowNanos, ROUND_PATIENCE_NANOS)) {
            return false;
        }
        roundsOnTheirWay.clear();
        return startPublishing();
    }

    /**
     * Applies a record of the log. A record at or before the last one applied (a replay) changes
     * nothing, and so does an operation already applied: every node skips the same ones, so
     * versions agree everywhere.
     *
     * @return true when the record brought back this node's last round and the caller must start
     *     the next ({@link #nextBatch})
     */
    boolean logged(LoggedBatch record) {
        if (record.offset() <= logOffset) {
            return false;
        }
        logOffset = record.offset();
        if (record.deleted()) {
            deleted = true;
            close(Closure.DELETED);
            return false;
        }
        if (record.dropped()) {
            record.deltas().forEach(this::dropped);
            return startPublishing();
        }
        record.deltas().forEach(delta -> apply(delta, record.offset()));
        replica.forgetDeletesBefore(replica.deleteMark());
        if (!pendingJoins.isEmpty()) {
            releaseJoins(System.nanoTime());
        }
        return startPublishing();
    }

    /**
     * A delta this or another node published never reached the log (the bridge could not put its
     * batch there): whoever waits for its ack is told, and its inserts are no longer on their way.
     */
    private void dropped(SubmittedDelta named) {
        roundsOnTheirWay.arrived(opKey(named.site(), named.opId()));
        if (!notStored(opKey(named.site(), named.opId()))) {
            return; // another node's, or told already
        }
        LOG.warning(() -> "document " + id + ": delta " + named.opId() + " of site " + named.site()
                + " never reached the log; its client is told");
        // The site's later deltas, queued here, go too: published after it, they would put counters
        // of that site in the log above ones it never got, and a resend of the lost delta would
        // then look like a repeat of characters deleted since (docs/lseq.md, "Forgetting
        // deletes"). Its client reloads on the refusal and sends them again, in order.
        for (var queued = unpublished.iterator(); queued.hasNext(); ) {
            SubmittedDelta later = queued.next().delta;
            if (later.site() == named.site()) {
                queued.remove();
                notStored(opKey(later.site(), later.opId()));
            }
        }
    }

    /** Tells whoever waits for the delta under {@code key} that it was not stored; false if nobody does. */
    private boolean notStored(String key) {
        Awaited waiting = awaitingLog.remove(key);
        if (waiting == null) {
            return false;
        }
        for (Operation operation : waiting.queued().operations()) {
            if (operation instanceof Insert insert) {
                insertsInFlight.remove(insert.id());
            }
        }
        waiting.acks().forEach(ack -> ack.subscriber.refused(ack.opId, NOT_STORED, NOT_STORED_MESSAGE));
        return true;
    }

    private void apply(SubmittedDelta submitted, long offset) {
        String key = opKey(submitted.site(), submitted.opId());
        Delta fresh = unseen(submitted);
        long got = 0;
        if (!fresh.isEmpty()) {
            replica.apply(fresh);
            version++;
            got = version;
            AcceptedDelta accepted = new AcceptedDelta(version, submitted.opId(), submitted.site(), fresh, offset);
            remember(accepted);
            Awaited awaited = awaitingLog.get(key);
            List<Ack> origins = awaited == null ? List.of() : awaited.acks;
            for (DeltaSubscriber subscriber : List.copyOf(subscribers)) {
                if (origins.stream().noneMatch(ack -> ack.subscriber == subscriber)) {
                    subscriber.deliver(accepted);
                }
            }
        }
        for (Operation operation : submitted.delta().operations()) {
            if (operation instanceof Insert insert) {
                insertsInFlight.remove(insert.id());
                highestCounters.merge(insert.id().site(), insert.id().counter(), Math::max);
            }
        }
        roundsOnTheirWay.arrived(key);
        Awaited acked = awaitingLog.remove(key);
        if (acked != null) {
            long ackedVersion = got != 0 ? got : loggedVersion(key);
            acked.acks.forEach(ack -> ack.subscriber.acknowledged(ack.opId, ackedVersion));
        }
    }

    /** What of the delta still changes the replica; nothing if the log carried something invalid. */
    private Delta unseen(SubmittedDelta submitted) {
        try {
            return newOperations(submitted.delta(), false);
        } catch (InvalidDeltaException e) {
            // Every node refuses it alike, so versions still agree. Only a forged record gets here:
            // nodes check deltas before they publish them.
            LOG.warning(() -> "document " + id + ": skipped invalid delta " + submitted.opId() + " of site "
                    + submitted.site() + " from the log: " + e.getMessage());
            return new Delta(List.of());
        }
    }

    /**
     * Publishing failed: what this node accepted and did not publish can no longer be
     * acknowledged. Every subscriber is told to join again, which reloads the document; clients
     * resend what was not acknowledged.
     */
    void publishFailed() {
        close(Closure.UNAVAILABLE);
    }

    void close(Closure reason) {
        List<DeltaSubscriber> leaving = new ArrayList<>(subscribers);
        pendingJoins.forEach(join -> leaving.add(join.subscriber));
        pendingJoins.clear();
        subscribers.clear();
        awaitingLog.clear();
        roundsOnTheirWay.clear();
        leaving.forEach(subscriber -> subscriber.closed(reason));
    }

    private void remember(AcceptedDelta delta) {
        recent.addLast(delta);
        recentByOpKey.put(opKey(delta.site(), delta.opId()), delta);
        while (recent.size() > catchUpLimit) {
            AcceptedDelta forgotten = recent.removeFirst();
            // Only if no later delta of the log took the same key (a client that sent other
            // operations under one opId to two nodes at once).
            recentByOpKey.remove(opKey(forgotten.site(), forgotten.opId()), forgotten);
        }
    }

    /** The version of the recent delta under {@code key}, or 0. */
    private long loggedVersion(String key) {
        AcceptedDelta logged = recentByOpKey.get(key);
        return logged == null ? 0 : logged.version();
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
     * The replica's state now: the log up to {@link #logOffset()}, at {@link #version()}. Any
     * snapshot is safe to store, since the replica only ever holds what the log holds.
     */
    Snapshot snapshot() {
        snapshotTakenVersion = version;
        lastSnapshotNanos = System.nanoTime();
        byte[] bytes = SnapshotCodec.encode(replica);
        if (!snapshotNearLimit && LogLimits.snapshotNearLimit(bytes)) {
            snapshotNearLimit = true;
            LOG.warning(() -> "document " + id + ": its snapshot takes " + bytes.length
                    + " bytes, near what the store keeps; it takes no more edits");
        }
        return new Snapshot(bytes, version, logOffset);
    }

    void snapshotStored(long storedVersion) {
        snapshotVersion = Math.max(snapshotVersion, storedVersion);
    }

    /** Writing the snapshot taken at this version failed: take the next one as if it had not been. */
    void snapshotFailed() {
        snapshotTakenVersion = snapshotVersion;
    }

    /** No subscriber, nothing on its way to the log, and no activity for {@code idleNanos}. */
    boolean idle(long idleNanos) {
        return subscribers.isEmpty()
                && pendingJoins.isEmpty()
                && !publishing
                && awaitingLog.isEmpty()
                && System.nanoTime() - lastActivityNanos >= idleNanos;
    }

    /** Nothing this node accepted is still on its way to the log. */
    boolean allLogged() {
        return unpublished.isEmpty() && awaitingLog.isEmpty() && insertsInFlight.isEmpty();
    }

    boolean deleted() {
        return deleted;
    }

    long version() {
        return version;
    }

    long logOffset() {
        return logOffset;
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

    private record Ack(DeltaSubscriber subscriber, String opId) {}

    /** A delta waiting to be published, and the bytes it takes in a log record. */
    private record Queued(SubmittedDelta delta, int recordBytes) {}

    /** A delta on its way to the log: what of it was queued, and who waits for its ack. */
    private record Awaited(Delta queued, List<Ack> acks) {}

    /** A subscriber ahead of this node, waiting for the log to bring the node to its version. */
    private record PendingJoin(DeltaSubscriber subscriber, long fromVersion, long deadlineNanos) {}

    /** A snapshot of the replica at {@code version}, covering the log up to {@code logOffset}. */
    record Snapshot(byte[] bytes, long version, long logOffset) {}
}
