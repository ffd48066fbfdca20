package dev.folio.document;

import dev.folio.document.DeltaSubscriber.Closure;
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
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
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
 * <p>Accepted deltas are stored in batches by one task per document (a group commit): whatever
 * arrived while a batch was being written goes in the next one. Only a stored delta is
 * acknowledged and forwarded.
 */
@Singleton
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class DocumentManager {

    private static final Logger LOG = Logger.getLogger(DocumentManager.class.getName());

    @EJB
    DocumentStore store;

    @Resource
    ManagedExecutorService executor;

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

    private final ConcurrentHashMap<UUID, Slot> open = new ConcurrentHashMap<>();
    private final AtomicBoolean housekeeping = new AtomicBoolean();
    private Counter acceptedDeltas;
    private Timer snapshotWrites;
    private Timer deltaWrites;

    @PostConstruct
    void registerMetrics() {
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
            executor.execute(() -> storeWaiting(storeFor));
        }
    }

    /** A new site number for a client that has none. */
    public int newSite() {
        return store.nextSite();
    }

    public DocumentSummary create(String title, UUID authorId) {
        DocumentSummary created = store.create(title, authorId);
        LOG.info(() -> "document " + created.id() + " created");
        return created;
    }

    public List<DocumentSummary> list(int offset, int limit) {
        return store.list(offset, limit).stream()
                .map(summary -> {
                    Slot slot = open.get(summary.id());
                    return slot == null ? summary : summary.atVersion(slot.version());
                })
                .toList();
    }

    /** The document's metadata, text and version as this node holds it now. */
    public Optional<DocumentView> view(UUID id) {
        Optional<DocumentSummary> summary = store.find(id);
        if (summary.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(locked(
                    id,
                    slot -> new DocumentView(
                            summary.get().atVersion(slot.document.version()),
                            slot.document.text(),
                            slot.document.length())));
        } catch (UnknownDocumentException deletedMeanwhile) {
            return Optional.empty();
        }
    }

    /** Closes the document for its subscribers and deletes it with all its deltas. */
    public boolean delete(UUID id) {
        Slot slot = open.get(id);
        if (slot != null) {
            synchronized (slot) {
                if (slot.document != null) {
                    slot.document.close(Closure.DELETED);
                }
                evict(slot);
            }
        }
        boolean deleted = store.delete(id);
        if (deleted) {
            LOG.info(() -> "document " + id + " deleted");
        }
        return deleted;
    }

    public int openDocuments() {
        return open.size();
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
     * The group commit: stores what waits, in batches, until nothing does. Bound to the slot it
     * was started for: a document unloaded meanwhile (deleted, failed) stores nothing more.
     */
    private void storeWaiting(Slot slot) {
        UUID id = slot.id;
        while (true) {
            List<AcceptedDelta> batch;
            synchronized (slot) {
                if (slot.evicted) {
                    return;
                }
                batch = slot.document.nextBatch();
            }
            if (batch.isEmpty()) {
                return;
            }
            try {
                deltaWrites.time(() -> store.append(id, batch));
            } catch (RuntimeException e) {
                LOG.log(
                        Level.SEVERE,
                        "document " + id + ": storing " + batch.size() + " deltas failed; unloading it",
                        e);
                synchronized (slot) {
                    slot.document.storeFailed();
                    evict(slot);
                }
                return;
            }
            boolean snapshotDue;
            synchronized (slot) {
                slot.document.stored(batch);
                snapshotDue = slot.document.snapshotDue(snapshotEveryOperations, everySnapshotNanos());
            }
            acceptedDeltas.inc(batch.size());
            if (snapshotDue) {
                saveSnapshot(slot, false);
            }
        }
    }

    /**
     * Every two seconds: snapshots what is due, and writes back and drops idle documents. A
     * document with many operations gets its snapshot sooner, right after a batch is stored.
     */
    @Schedule(second = "*/2", minute = "*", hour = "*", persistent = false)
    void housekeeping() {
        if (!housekeeping.compareAndSet(false, true)) {
            return;
        }
        try {
            long idleNanos = TimeUnit.SECONDS.toNanos(idleSeconds);
            for (Slot slot : open.values()) {
                boolean due;
                synchronized (slot) {
                    if (slot.document == null) {
                        continue;
                    }
                    if (slot.document.idle(idleNanos)) {
                        if (saveSnapshot(slot, true)) {
                            evict(slot);
                            LOG.info(() -> "document " + slot.id + " idle, unloaded");
                        }
                        continue;
                    }
                    due = slot.document.snapshotDue(snapshotEveryOperations, everySnapshotNanos());
                }
                if (due) {
                    saveSnapshot(slot, false);
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
        for (Slot slot : open.values()) {
            synchronized (slot) {
                if (slot.document != null) {
                    saveSnapshot(slot, true);
                }
            }
        }
        LOG.info(() -> "saved " + open.size() + " open documents on shutdown");
    }

    /**
     * Writes the document's snapshot if it has unsaved changes. The snapshot is taken under the
     * lock; it is written under it only when {@code holdLock} (eviction, shutdown).
     *
     * @return whether the store now holds the document's state
     */
    private boolean saveSnapshot(Slot slot, boolean holdLock) {
        byte[] snapshot;
        long version;
        synchronized (slot) {
            if (slot.document == null || !slot.document.hasUnsavedChanges() || slot.savingSnapshot) {
                return slot.document != null && !slot.document.hasUnsavedChanges();
            }
            snapshot = slot.document.snapshot();
            version = slot.document.version();
            slot.savingSnapshot = true;
        }
        try {
            if (holdLock) {
                synchronized (slot) {
                    return writeSnapshot(slot, snapshot, version);
                }
            }
            return writeSnapshot(slot, snapshot, version);
        } finally {
            synchronized (slot) {
                slot.savingSnapshot = false;
            }
        }
    }

    private boolean writeSnapshot(Slot slot, byte[] snapshot, long version) {
        long started = System.nanoTime();
        try {
            boolean written = store.saveSnapshot(slot.id, snapshot, version);
            snapshotWrites.update(java.time.Duration.ofNanos(System.nanoTime() - started));
            synchronized (slot) {
                if (slot.document != null) {
                    slot.document.snapshotStored(version);
                }
            }
            LOG.fine(() -> "document " + slot.id + " snapshot at version " + version + (written ? "" : " was stale"));
            return true;
        } catch (RuntimeException e) {
            LOG.log(
                    Level.WARNING,
                    "document " + slot.id + ": writing the snapshot at version " + version + " failed",
                    e);
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
        boolean savingSnapshot;

        Slot(UUID id) {
            this.id = id;
        }

        synchronized long version() {
            return document == null ? 0 : document.version();
        }
    }
}
