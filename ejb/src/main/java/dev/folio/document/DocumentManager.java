package dev.folio.document;

import dev.folio.document.DeltaSubscriber.Closure;
import dev.folio.document.LiveDocument.Snapshot;
import dev.folio.lseq.Delta;
import dev.folio.lseq.InvalidDeltaException;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.DependsOn;
import jakarta.ejb.EJB;
import jakarta.ejb.Schedule;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Timer;

/**
 * Holds the live replica of every document open on this node. Each document has its own lock, so
 * a busy document never blocks another. A document is loaded from its snapshot and the log records
 * after it on first use, and written back and dropped after it has been idle a while.
 *
 * <p>Two flows pass through (see {@link LiveDocument}). Deltas clients send here are checked and
 * published to the log by a group commit: one task per document takes everything waiting and
 * publishes it as one record, durably, then hands the next round to the pool. Records of the log,
 * from every node, come in through {@link #logged}; a document's are applied in log order by one
 * task at a time, which acknowledges and forwards them. The tasks run on a fixed pool of threads,
 * so many busy documents share the node fairly.
 */
@Singleton
@Startup
// The schema is brought up to date before this bean uses the database.
@DependsOn("SchemaMigrations")
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class DocumentManager {

    private static final Logger LOG = Logger.getLogger(DocumentManager.class.getName());

    /** How long a client ahead of this node waits for the log before it gets a snapshot. */
    private static final Duration JOIN_WAIT = Duration.ofSeconds(5);

    @EJB
    DocumentStore store;

    @Inject
    DeltaPublisher publisher;

    @Inject
    DocumentLog log;

    @Resource
    ManagedThreadFactory threads;

    @Inject
    MetricRegistry metrics;

    @Inject
    @ConfigProperty(name = "folio.snapshot.every-operations", defaultValue = "1000")
    int snapshotEveryOperations;

    @Inject
    @ConfigProperty(name = "folio.snapshot.every-seconds", defaultValue = "30")
    int snapshotEverySeconds;

    @Inject
    @ConfigProperty(name = "folio.document.idle-seconds", defaultValue = "120")
    int idleSeconds;

    @Inject
    @ConfigProperty(name = "folio.catch-up.deltas", defaultValue = "1000")
    int catchUpDeltas;

    @Inject
    Limits limits;

    /** Threads publishing and applying deltas and writing snapshots; the datasource has 32 connections. */
    @Inject
    @ConfigProperty(name = "folio.store.threads", defaultValue = "16")
    int storeThreads;

    private final ConcurrentHashMap<UUID, Slot> open = new ConcurrentHashMap<>();
    private final AtomicBoolean housekeeping = new AtomicBoolean();
    private final OutageBackoff outage = new OutageBackoff();
    private ExecutorService working;
    private Counter publishedDeltas;
    private Counter loggedRecords;
    private Counter loads;
    private Timer snapshotWrites;
    private Timer publishes;

    @PostConstruct
    void start() {
        // A client catching up gets these deltas at once: more than its outbox holds would close it.
        catchUpDeltas = Math.max(1, Math.min(catchUpDeltas, 5_000));
        working = Executors.newFixedThreadPool(Math.max(1, storeThreads), threads);
        metrics.gauge("folio.documents.open", open, ConcurrentHashMap::size);
        publishedDeltas = metrics.counter("folio.deltas.accepted");
        loggedRecords = metrics.counter("folio.log.records.applied");
        loads = metrics.counter("folio.documents.loaded");
        snapshotWrites = metrics.timer("folio.snapshot.write");
        publishes = metrics.timer("folio.deltas.publish");
    }

    /**
     * Subscribes to a document and brings the subscriber up to date (see {@link
     * LiveDocument#join}).
     *
     * @throws UnknownDocumentException if there is no such document
     */
    public void join(UUID id, DeltaSubscriber subscriber, long fromVersion) {
        locked(id, slot -> {
            slot.document.join(subscriber, fromVersion, JOIN_WAIT.toNanos());
            return null;
        });
    }

    public void leave(UUID id, DeltaSubscriber subscriber) {
        Slot slot = open.get(id);
        if (slot != null) {
            synchronized (slot) {
                if (slot.document != null) {
                    slot.document.leave(subscriber);
                }
            }
        }
    }

    /**
     * Accepts a client's delta for the log; the subscriber is acknowledged once it is back from
     * the log.
     *
     * @throws RefusedDeltaException if the delta is invalid or not the subscriber's to make
     * @throws UnknownDocumentException if there is no such document
     */
    public void submit(UUID id, DeltaSubscriber origin, String opId, Delta delta) {
        Slot publishFor = locked(id, slot -> {
            boolean startPublishing = slot.document.accept(origin, opId, delta, limits.maxDocumentCharacters());
            LOG.fine(() -> "document " + id + ": took delta " + opId + " of site " + origin.site()
                    + (origin.isClosing() ? " (ignored: its session is closing)" : ""));
            return startPublishing ? slot : null;
        });
        if (publishFor != null) {
            working.execute(() -> publishNextBatch(publishFor));
        }
    }

    /**
     * A record of the log, from the node's feed. Returns at once: the record is queued for its
     * document if the document is open (or opening) here, and dropped otherwise, since a document
     * opened later reads the log itself.
     */
    public void logged(LoggedBatch record) {
        Slot slot = open.get(record.documentId());
        if (slot == null) {
            return;
        }
        slot.inbox.add(record);
        if (slot.applying.compareAndSet(false, true)) {
            working.execute(() -> applyLogged(slot));
        }
    }

    /**
     * Unloads the open documents whose id {@code matches}, because this node's copy may have missed
     * records of the log: their clients are told to join again, and the document is then read anew
     * from its snapshot and the log.
     */
    public void unloadWhere(Predicate<UUID> matches, String why) {
        for (Slot slot : open.values()) {
            if (!matches.test(slot.id)) {
                continue;
            }
            synchronized (slot) {
                if (slot.document != null && !slot.evicted) {
                    slot.document.close(Closure.UNAVAILABLE);
                    evict(slot);
                    LOG.warning(() -> "document " + slot.id + " unloaded, to be read anew: " + why);
                }
            }
        }
    }

    /** A new site number for a client of {@code userId} that has none. */
    public int newSite(String userId) {
        return store.nextSite(userId);
    }

    /** Whether {@code site} was given to a client of {@code userId}: a client may only come back with such a site. */
    public boolean isSiteOf(int site, String userId) {
        return site > 0 && store.isSiteOf(site, userId);
    }

    /**
     * Creates a document owned by {@code ownerId}, whose empty snapshot covers the log as it is
     * now: its records come later.
     *
     * @throws DocumentLimitException if the owner has {@code folio.documents.max-per-user} already
     */
    public DocumentSummary create(String title, String ownerId) {
        UUID id = UUID.randomUUID();
        DocumentSummary created =
                store.create(id, title, ownerId, log.lastOffset(id), log.identity(), limits.maxDocumentsPerUser());
        LOG.info(() -> "document " + created.id() + " created by user " + ownerId);
        return created;
    }

    /** Every document (for administrators). */
    public List<DocumentSummary> list(int offset, int limit) {
        return store.list(offset, limit);
    }

    /** The documents shared with a user, with the user's role on each. */
    public List<SharedDocument> listFor(String userId, int offset, int limit) {
        return store.listFor(userId, offset, limit);
    }

    /** Documents open on this node now. */
    public int openCount() {
        return open.size();
    }

    /** Whether a document exists, without loading it. */
    public boolean exists(UUID id) {
        return store.find(id).isPresent();
    }

    /**
     * The document's metadata, text and version as this node has it: every version it shows is in
     * the log, so it is never given to another text, whatever happens to the server.
     *
     * @return empty if there is no such document
     */
    public Optional<DocumentView> view(UUID id) {
        Optional<DocumentSummary> summary = store.find(id);
        if (summary.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(locked(id, slot -> {
                LiveDocument document = slot.document;
                return new DocumentView(
                        summary.get().atVersion(document.version()), document.text(), document.length());
            }));
        } catch (UnknownDocumentException deletedMeanwhile) {
            return Optional.empty();
        }
    }

    /**
     * Deletes the document and closes it for its subscribers, here at once and on every other node
     * through the log. Under the document's lock, so that nobody opens it again halfway.
     */
    public boolean delete(UUID id) {
        Slot slot = open.computeIfAbsent(id, Slot::new);
        boolean deleted;
        synchronized (slot) {
            deleted = store.delete(id);
            if (slot.document != null) {
                slot.document.close(Closure.DELETED);
            }
            evict(slot);
        }
        if (deleted) {
            LOG.info(() -> "document " + id + " deleted");
            try {
                publisher.publishDeleted(id);
            } catch (RuntimeException e) {
                // Other nodes still find it gone when their clients next join or send.
                LOG.log(Level.WARNING, "document " + id + ": telling the other nodes of its deletion failed", e);
            }
        }
        return deleted;
    }

    /** Runs {@code action} under the document's lock, loading the document first if needed. */
    private <T> T locked(UUID id, Function<Slot, T> action) {
        while (true) {
            Slot slot = open.computeIfAbsent(id, Slot::new);
            synchronized (slot) {
                if (slot.evicted) {
                    continue;
                }
                if (slot.document == null) {
                    slot.document = loadUnlessFailing(slot);
                }
                return action.apply(slot);
            }
        }
    }

    /**
     * Loads the document, unless loading or publishing failed a moment ago: then it is refused at
     * once ({@link OutageBackoff}), so clients rejoining during an outage cost the node nothing.
     */
    private LiveDocument loadUnlessFailing(Slot slot) {
        Duration refused = outage.refusedFor(System.nanoTime());
        if (!refused.isZero()) {
            evict(slot);
            throw new DocumentUnavailableException(
                    "the document cannot be opened while the broker, Kafka or the database fails; try again later",
                    refused);
        }
        try {
            return load(slot);
        } catch (UnknownDocumentException | IncompleteHistoryException | InvalidDeltaException e) {
            throw e; // about this document alone, not something every document needs
        } catch (RuntimeException e) {
            outage.failed(System.nanoTime());
            throw e;
        }
    }

    /**
     * Loads the document from its snapshot and the log after it. The slot is already registered,
     * so records the feed brings meanwhile wait in its inbox; those the log read here also has are
     * skipped when applied (by offset).
     */
    private LiveDocument load(Slot slot) {
        long started = System.nanoTime();
        Optional<StoredState> state;
        List<LoggedBatch> after;
        try {
            state = store.load(slot.id);
            if (state.isPresent()) {
                slot.log = sameLog(slot.id, state.get());
            }
            after = state.isEmpty() ? List.of() : log.after(slot.id, state.get().logOffset());
        } catch (RuntimeException e) {
            evict(slot);
            throw e;
        }
        if (state.isEmpty()) {
            evict(slot);
            throw new UnknownDocumentException(slot.id);
        }
        loads.inc();
        LiveDocument document;
        try {
            document = LiveDocument.restore(slot.id, state.get(), after, catchUpDeltas);
        } catch (RuntimeException e) {
            evict(slot); // a slot without a document must not stay open: the feed would feed it
            throw e;
        }
        if (document.deleted()) {
            evict(slot);
            throw new UnknownDocumentException(slot.id);
        }
        LOG.info(() -> String.format(
                "document %s loaded at version %d (snapshot %d + %d log records, %d characters) in %d ms",
                slot.id,
                document.version(),
                state.get().snapshotVersion(),
                after.size(),
                document.length(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)));
        return document;
    }

    /**
     * The log the document's snapshot counts offsets of, which must be the log now: offsets of
     * another (a topic created again, partitions added) would make every new record look like a
     * replay, and the document would silently miss them all.
     *
     * @throws IncompleteHistoryException if it is another log
     */
    private String sameLog(UUID id, StoredState state) {
        String now = log.identity();
        if (state.log() != null && !state.log().equals(now)) {
            IncompleteHistoryException other = new IncompleteHistoryException(
                    id,
                    "its snapshot covers offset " + state.logOffset() + " of the log " + state.log()
                            + " (topic id:partitions), but the log is now " + now
                            + "; its offsets do not compare (docs/operations.md, \"Event-log gaps\")");
            LOG.severe(other::getMessage);
            throw other;
        }
        return now;
    }

    /**
     * One round of the group commit: publishes what waits as one durable record, and hands the
     * next round to the pool; an empty round ends the publishing. If publishing fails the document
     * is unloaded: its clients join again and resend what was not acknowledged.
     */
    private void publishNextBatch(Slot slot) {
        List<SubmittedDelta> batch;
        synchronized (slot) {
            if (slot.evicted) {
                return;
            }
            batch = slot.document.nextBatch();
            if (batch.isEmpty()) {
                return;
            }
        }
        try {
            publishes.time(() -> publisher.publish(slot.id, batch));
        } catch (RuntimeException e) {
            outage.failed(System.nanoTime());
            LOG.log(
                    Level.SEVERE,
                    "document " + slot.id + ": publishing " + batch.size() + " deltas failed; unloading it",
                    e);
            synchronized (slot) {
                if (!slot.evicted) {
                    slot.document.publishFailed();
                    evict(slot);
                }
            }
            return;
        }
        synchronized (slot) {
            if (!slot.evicted) {
                slot.document.published(batch);
            }
        }
        outage.succeeded();
        publishedDeltas.inc(batch.size());
        working.execute(() -> publishNextBatch(slot));
    }

    /**
     * Applies the records waiting in the slot's inbox, in order; one such task per document at a
     * time. A snapshot due is taken here and written after.
     */
    private void applyLogged(Slot slot) {
        Snapshot snapshot = null;
        synchronized (slot) {
            try {
                snapshot = applyInbox(slot);
            } finally {
                slot.applying.set(false);
            }
        }
        // A record added after the poll and before the flag was cleared found the flag set.
        if (!slot.inbox.isEmpty() && slot.applying.compareAndSet(false, true)) {
            working.execute(() -> applyLogged(slot));
        }
        if (snapshot != null) {
            writeSnapshot(slot, snapshot);
        }
    }

    /** Called with the slot's lock held; returns the snapshot now due, if one is. */
    private Snapshot applyInbox(Slot slot) {
        LoggedBatch record;
        while ((record = slot.inbox.poll()) != null) {
            if (slot.evicted || slot.document == null) {
                continue; // unloaded (the lock is held through a whole load, so never half-loaded)
            }
            try {
                if (slot.document.logged(record)) {
                    // This node's last round is back from the log: the next takes all that waits.
                    working.execute(() -> publishNextBatch(slot));
                }
            } catch (RuntimeException e) {
                // Its replica may now lack the record: read it anew rather than go on without it.
                LOG.log(
                        Level.SEVERE,
                        "document " + slot.id + " failed to apply record " + record.offset()
                                + "; unloading it, its clients join again",
                        e);
                slot.document.close(Closure.UNAVAILABLE);
                evict(slot);
                continue;
            }
            loggedRecords.inc();
            if (slot.document.deleted()) {
                LOG.info(() -> "document " + slot.id + " deleted on another node, closed here");
                evict(slot);
            }
        }
        boolean due = !slot.evicted
                && slot.document != null
                && slot.document.snapshotDue(snapshotEveryOperations, everySnapshotNanos());
        return due ? slot.document.snapshot() : null;
    }

    /**
     * Every two seconds: writes the snapshots that are due by time, and writes back and drops
     * idle documents. (Snapshots due by count are taken as records are applied.)
     */
    @Schedule(second = "*/2", minute = "*", hour = "*", persistent = false)
    void housekeeping() {
        if (!housekeeping.compareAndSet(false, true)) {
            return;
        }
        try {
            long idleNanos = TimeUnit.SECONDS.toNanos(idleSeconds);
            for (Slot slot : open.values()) {
                Snapshot due = null;
                synchronized (slot) {
                    if (slot.document == null || slot.evicted) {
                        continue;
                    }
                    slot.document.releaseJoins(System.nanoTime());
                    if (slot.document.stopWaitingForOverdueRound(System.nanoTime())) {
                        LOG.fine(() -> "document " + slot.id + ": its last round is slow to come back; publishing on");
                        working.execute(() -> publishNextBatch(slot));
                    }
                    if (slot.document.idle(idleNanos)) {
                        if (writeBack(slot)) {
                            evict(slot);
                            LOG.info(() -> "document " + slot.id + " idle, unloaded");
                        }
                        continue;
                    }
                    if (slot.document.snapshotDue(snapshotEveryOperations, everySnapshotNanos())) {
                        due = slot.document.snapshot();
                    }
                }
                if (due != null) {
                    writeSnapshot(slot, due);
                }
            }
        } finally {
            housekeeping.set(false);
        }
    }

    /**
     * On shutdown every open document is written back, so a restart reads little of the log.
     * Payara Micro does not call an EJB's {@code @PreDestroy} on shutdown, so the web module's
     * {@code SaveOnShutdown} calls this too; the second call finds nothing left to write.
     */
    @PreDestroy
    public void saveAll() {
        int written = 0;
        for (Slot slot : open.values()) {
            synchronized (slot) {
                if (slot.document != null && !slot.evicted && writeBack(slot)) {
                    written++;
                }
            }
        }
        int saved = written;
        LOG.info(() -> "shutdown: " + saved + " of " + open.size() + " open documents are in their snapshots");
        working.shutdown();
    }

    /**
     * Called with the slot's lock held: makes the stored snapshot cover the whole document.
     *
     * @return whether the stored snapshot now covers the document
     */
    private boolean writeBack(Slot slot) {
        return !slot.document.hasUnsavedChanges() || writeSnapshot(slot, slot.document.snapshot());
    }

    /**
     * Writes a snapshot. One the store finds older than its own is not written, and that is fine:
     * another node wrote a newer one of the same log.
     */
    private boolean writeSnapshot(Slot slot, Snapshot snapshot) {
        if (!LogLimits.snapshotStorable(snapshot.bytes())) {
            // Stored, it could not be loaded again: the log keeps the document meanwhile.
            LOG.severe(() -> "document " + slot.id + ": its snapshot at version " + snapshot.version() + " takes "
                    + snapshot.bytes().length + " bytes, more than can be stored and loaded again; not written");
            synchronized (slot) {
                slot.document.snapshotFailed();
            }
            return false;
        }
        long started = System.nanoTime();
        try {
            boolean written =
                    store.saveSnapshot(slot.id, snapshot.bytes(), snapshot.version(), snapshot.logOffset(), slot.log);
            snapshotWrites.update(Duration.ofNanos(System.nanoTime() - started));
            synchronized (slot) {
                slot.document.snapshotStored(snapshot.version());
            }
            LOG.fine(() -> "document " + slot.id + " snapshot at version " + snapshot.version()
                    + (written ? "" : " was older than the stored one"));
            return true;
        } catch (RuntimeException e) {
            LOG.log(
                    Level.WARNING,
                    "document " + slot.id + ": writing the snapshot at version " + snapshot.version() + " failed",
                    e);
            synchronized (slot) {
                slot.document.snapshotFailed();
            }
            return false;
        }
    }

    private long everySnapshotNanos() {
        return TimeUnit.SECONDS.toNanos(snapshotEverySeconds);
    }

    /** Called with the slot's lock held. */
    private void evict(Slot slot) {
        slot.evicted = true;
        open.remove(slot.id, slot);
    }

    /** A document's lock, the document once loaded, and the log records waiting to be applied. */
    private static final class Slot {
        final UUID id;
        final Queue<LoggedBatch> inbox = new ConcurrentLinkedQueue<>();
        final AtomicBoolean applying = new AtomicBoolean();
        LiveDocument document;
        /** The identity of the log the document was read from, which its snapshots record. */
        String log;

        boolean evicted;

        Slot(UUID id) {
            this.id = id;
        }
    }
}
