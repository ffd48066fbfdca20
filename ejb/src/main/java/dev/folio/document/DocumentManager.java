package dev.folio.document;

import dev.folio.document.DeltaSubscriber.Closure;
import dev.folio.document.LiveDocument.Snapshot;
import dev.folio.lseq.Delta;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
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
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Timer;

/**
 * Holds the live replica of every open document. Each document has its own lock, so a busy
 * document never blocks another. A document is loaded from its snapshot and recent deltas on
 * first use, and written back and dropped after it has been idle a while.
 *
 * <p>Accepted deltas are stored by a group commit: one task per document takes everything waiting,
 * stores it in one transaction, and only then acknowledges and forwards it. Whatever arrived
 * meanwhile goes in the next task. The tasks run on a fixed pool of threads, one batch per task,
 * so many busy documents share the database fairly.
 *
 * <p>Snapshots only ever hold stored deltas (see {@link LiveDocument#snapshot()}).
 */
@Singleton
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class DocumentManager {

    private static final Logger LOG = Logger.getLogger(DocumentManager.class.getName());

    /** How long a read waits for the deltas it would show to be stored. */
    private static final Duration READ_WAIT = Duration.ofSeconds(5);

    @EJB
    DocumentStore store;

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

    /** Threads writing deltas and snapshots; the datasource has 32 connections. */
    @Inject
    @ConfigProperty(name = "folio.store.threads", defaultValue = "16")
    int storeThreads;

    private final ConcurrentHashMap<UUID, Slot> open = new ConcurrentHashMap<>();
    private final AtomicBoolean housekeeping = new AtomicBoolean();
    private ExecutorService storing;
    private Counter acceptedDeltas;
    private Timer snapshotWrites;
    private Timer deltaWrites;

    @PostConstruct
    void start() {
        // A client catching up gets these deltas at once: more than its outbox holds would close it.
        catchUpDeltas = Math.max(1, Math.min(catchUpDeltas, 5_000));
        storing = Executors.newFixedThreadPool(Math.max(1, storeThreads), threads);
        metrics.gauge("folio.documents.open", open, ConcurrentHashMap::size);
        acceptedDeltas = metrics.counter("folio.deltas.accepted");
        snapshotWrites = metrics.timer("folio.snapshot.write");
        deltaWrites = metrics.timer("folio.deltas.write");
    }

    /**
     * Subscribes to a document and brings the subscriber up to date (see {@link
     * LiveDocument#join}).
     *
     * @throws UnknownDocumentException if there is no such document
     */
    public void join(UUID id, DeltaSubscriber subscriber, long fromVersion) {
        locked(id, slot -> {
            slot.document.join(subscriber, fromVersion);
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
     * Accepts a client's delta; the subscriber is acknowledged once it is stored.
     *
     * @throws RefusedDeltaException if the delta is invalid or not the subscriber's to make
     * @throws UnknownDocumentException if there is no such document
     */
    public void submit(UUID id, DeltaSubscriber origin, String opId, Delta delta) {
        Slot storeFor = locked(id, slot -> slot.document.accept(origin, opId, delta) ? slot : null);
        if (storeFor != null) {
            storing.execute(() -> storeNextBatch(storeFor));
        }
    }

    /** A new site number for a client that has none. */
    public int newSite() {
        return store.nextSite();
    }

    /** Whether {@code site} was given to some client: a client may only come back with such a site. */
    public boolean isIssuedSite(int site) {
        return site > 0 && site <= store.lastSite();
    }

    public DocumentSummary create(String title, UUID authorId) {
        DocumentSummary created = store.create(title, authorId);
        LOG.info(() -> "document " + created.id() + " created");
        return created;
    }

    public List<DocumentSummary> list(int offset, int limit) {
        return store.list(offset, limit);
    }

    /**
     * The document's metadata, text and version, once everything in the text is stored: a version
     * read here is never given to another text, whatever happens to the server.
     *
     * @return empty if there is no such document; a view with a null text if the document kept
     *     receiving deltas for {@link #READ_WAIT}
     */
    public Optional<DocumentView> view(UUID id) {
        Optional<DocumentSummary> summary = store.find(id);
        if (summary.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(locked(id, slot -> {
                long deadline = System.nanoTime() + READ_WAIT.toNanos();
                while (!slot.evicted && !slot.document.allStored() && System.nanoTime() < deadline) {
                    waitForStore(slot, deadline);
                }
                LiveDocument document = slot.document;
                return document.allStored()
                        ? new DocumentView(
                                summary.get().atVersion(document.version()), document.text(), document.length())
                        : new DocumentView(summary.get(), null, 0);
            }));
        } catch (UnknownDocumentException deletedMeanwhile) {
            return Optional.empty();
        }
    }

    /** Waits on the slot's lock (held by the caller) until a batch is stored or the deadline. */
    private static void waitForStore(Slot slot, long deadline) {
        try {
            TimeUnit.NANOSECONDS.timedWait(slot, Math.max(1, deadline - System.nanoTime()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Deletes the document with all its deltas and closes it for its subscribers. Under the
     * document's lock, so that nobody opens it again halfway.
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
                    slot.document = load(id);
                    if (slot.document == null) {
                        evict(slot);
                        throw new UnknownDocumentException(id);
                    }
                }
                return action.apply(slot);
            }
        }
    }

    private LiveDocument load(UUID id) {
        long started = System.nanoTime();
        Optional<StoredState> state = store.load(id);
        if (state.isEmpty()) {
            return null;
        }
        StoredState stored = state.get();
        LiveDocument document =
                LiveDocument.restore(id, stored.snapshot(), stored.snapshotVersion(), stored.after(), catchUpDeltas);
        LOG.info(() -> String.format(
                "document %s loaded at version %d (snapshot %d + %d deltas, %d characters) in %d ms",
                id,
                document.version(),
                stored.snapshotVersion(),
                stored.after().size(),
                document.length(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)));
        return document;
    }

    /**
     * One round of the group commit: stores what waits in one transaction, then acknowledges and
     * forwards it, and hands the next round to the pool; an empty round ends the storing. A
     * snapshot due is taken with the batch and written once the batch is stored.
     */
    private void storeNextBatch(Slot slot) {
        List<AcceptedDelta> batch;
        Snapshot snapshot = null;
        synchronized (slot) {
            if (slot.evicted) {
                return;
            }
            batch = slot.document.nextBatch();
            if (batch.isEmpty()) {
                return;
            }
            if (slot.document.snapshotDue(snapshotEveryOperations, everySnapshotNanos())) {
                snapshot = slot.document.snapshot();
            }
        }
        try {
            deltaWrites.time(() -> store.append(slot.id, batch));
        } catch (RuntimeException e) {
            LOG.log(
                    Level.SEVERE,
                    "document " + slot.id + ": storing " + batch.size() + " deltas failed; unloading it",
                    e);
            synchronized (slot) {
                slot.document.storeFailed();
                evict(slot);
                slot.notifyAll();
            }
            return;
        }
        synchronized (slot) {
            slot.document.stored(batch);
            slot.notifyAll();
        }
        acceptedDeltas.inc(batch.size());
        storing.execute(() -> storeNextBatch(slot));
        if (snapshot != null) {
            writeSnapshot(slot, snapshot);
        }
    }

    /**
     * Every two seconds: writes the snapshots that are due by time, and writes back and drops
     * idle documents. (Snapshots due by count are taken with the batch that makes them due.)
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
                    if (slot.document.idle(idleNanos)) {
                        if (writeBack(slot)) {
                            evict(slot);
                            LOG.info(() -> "document " + slot.id + " idle, unloaded");
                        }
                        continue;
                    }
                    if (slot.document.allStored()
                            && slot.document.snapshotDue(snapshotEveryOperations, everySnapshotNanos())) {
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
     * On shutdown every open document is written back, so a restart replays nothing. Payara Micro
     * does not call an EJB's {@code @PreDestroy} on shutdown, so the web module's {@code
     * SaveOnShutdown} calls this too; the second call finds nothing left to write.
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
        storing.shutdown();
    }

    /**
     * Called with the slot's lock held: makes the stored snapshot cover the whole document, if
     * everything in it is stored (else the rows of the deltas are what keeps them).
     *
     * @return whether the stored snapshot now covers the document
     */
    private boolean writeBack(Slot slot) {
        if (!slot.document.hasUnsavedChanges()) {
            return true;
        }
        return slot.document.allStored() && writeSnapshot(slot, slot.document.snapshot());
    }

    /**
     * Writes a snapshot of stored deltas. One the store finds older than its own is not written,
     * and that is fine: both hold the same stored deltas up to their versions.
     */
    private boolean writeSnapshot(Slot slot, Snapshot snapshot) {
        long started = System.nanoTime();
        try {
            boolean written = store.saveSnapshot(slot.id, snapshot.bytes(), snapshot.version());
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

    /** A document's lock, and the document once loaded. */
    private static final class Slot {
        final UUID id;
        LiveDocument document;
        boolean evicted;

        Slot(UUID id) {
            this.id = id;
        }
    }
}
