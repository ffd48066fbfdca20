package dev.folio.document;

import dev.folio.document.DeltaSubscriber.Closure;
import dev.folio.document.LiveDocument.Snapshot;
import dev.folio.lseq.Delta;
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
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.metrics.MetricRegistry;

/**
 * Holds the live replica of every document open on this node. Each document has its own lock, so
 * a busy document never blocks another. The work is split by job, each in a class of its own that
 * this bean wires together: {@link OpenDocuments} opens a document from its snapshot and the log
 * after it on first use; {@link GroupCommit} publishes what clients sent here to the log, a round of
 * many deltas at a time per document; {@link LogInbox} applies the log's records, from every node,
 * in order, which acknowledges and forwards them; {@link SnapshotWriter} writes snapshots, and this
 * bean writes back and drops documents idle a while. The tasks run on a fixed pool of threads, so
 * many busy documents share the node fairly. The rules of one document are {@link LiveDocument}'s.
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

    /** Group-commit rounds a document may have on their way to the log at once (see RoundsInFlight). */
    @Inject
    @ConfigProperty(name = "folio.log.rounds-in-flight", defaultValue = "1")
    int roundsInFlight;

    @Inject
    Limits limits;

    /** Threads publishing and applying deltas and writing snapshots; the datasource has 32 connections. */
    @Inject
    @ConfigProperty(name = "folio.store.threads", defaultValue = "16")
    int storeThreads;

    private final AtomicBoolean housekeeping = new AtomicBoolean();
    private ExecutorService working;
    private OpenDocuments open;
    private GroupCommit commit;
    private LogInbox inbox;
    private SnapshotWriter snapshots;

    @PostConstruct
    void start() {
        // A client catching up gets these deltas at once: more than its outbox holds would close it.
        catchUpDeltas = Math.max(1, Math.min(catchUpDeltas, 5_000));
        roundsInFlight = Math.max(1, roundsInFlight);
        working = Executors.newFixedThreadPool(Math.max(1, storeThreads), threads);
        OutageBackoff outage = new OutageBackoff();
        open = new OpenDocuments(
                new OpenDocuments.Reading(store, log, catchUpDeltas, roundsInFlight),
                outage,
                metrics.counter("folio.documents.loaded"));
        metrics.gauge("folio.documents.open", open, OpenDocuments::count);
        commit = new GroupCommit(
                publisher,
                working,
                open,
                outage,
                metrics.timer("folio.deltas.publish"),
                metrics.counter("folio.deltas.accepted"));
        snapshots = new SnapshotWriter(store, metrics.timer("folio.snapshot.write"));
        inbox = new LogInbox(
                working,
                open,
                commit,
                snapshots,
                document -> document.snapshotDue(snapshotEveryOperations, everySnapshotNanos()),
                metrics.counter("folio.log.records.applied"));
    }

    /**
     * Subscribes to a document and brings the subscriber up to date (see {@link
     * LiveDocument#join}).
     *
     * @throws UnknownDocumentException if there is no such document
     */
    public void join(UUID id, DeltaSubscriber subscriber, long fromVersion) {
        open.locked(id, slot -> {
            slot.document.join(subscriber, fromVersion, JOIN_WAIT.toNanos());
            return null;
        });
    }

    public void leave(UUID id, DeltaSubscriber subscriber) {
        DocumentSlot slot = open.find(id);
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
        DocumentSlot publishFor = open.locked(id, slot -> {
            boolean startPublishing = slot.document.accept(origin, opId, delta, limits.maxDocumentCharacters());
            LOG.fine(() -> "document " + id + ": took delta " + opId + " of site " + origin.site()
                    + (origin.isClosing() ? " (ignored: its session is closing)" : ""));
            return startPublishing ? slot : null;
        });
        if (publishFor != null) {
            commit.start(publishFor);
        }
    }

    /**
     * A record of the log, from the node's feed. Returns at once: the record is queued for its
     * document if the document is open (or opening) here, and dropped otherwise, since a document
     * opened later reads the log itself.
     */
    public void logged(LoggedBatch record) {
        inbox.add(record);
    }

    /**
     * Unloads the open documents whose id {@code matches}, because this node's copy may have missed
     * records of the log: their clients are told to join again, and the document is then read anew
     * from its snapshot and the log.
     */
    public void unloadWhere(Predicate<UUID> matches, String why) {
        for (DocumentSlot slot : open.all()) {
            if (!matches.test(slot.id)) {
                continue;
            }
            synchronized (slot) {
                if (slot.document != null && !slot.evicted) {
                    slot.document.close(Closure.UNAVAILABLE);
                    open.evict(slot);
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
        return open.count();
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
            return Optional.of(open.locked(id, slot -> {
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
        DocumentSlot slot = open.slot(id);
        boolean deleted;
        synchronized (slot) {
            deleted = store.delete(id);
            if (slot.document != null) {
                slot.document.close(Closure.DELETED);
            }
            open.evict(slot);
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
            for (DocumentSlot slot : open.all()) {
                Snapshot due = null;
                synchronized (slot) {
                    if (slot.document == null || slot.evicted) {
                        continue;
                    }
                    slot.document.releaseJoins(System.nanoTime());
                    if (slot.document.stopWaitingForOverdueRound(System.nanoTime())) {
                        LOG.fine(() -> "document " + slot.id + ": its last round is slow to come back; publishing on");
                        commit.start(slot);
                    }
                    if (slot.document.idle(idleNanos)) {
                        if (snapshots.writeBack(slot)) {
                            open.evict(slot);
                            LOG.info(() -> "document " + slot.id + " idle, unloaded");
                        }
                        continue;
                    }
                    if (slot.document.snapshotDue(snapshotEveryOperations, everySnapshotNanos())) {
                        due = slot.document.snapshot();
                    }
                }
                if (due != null) {
                    snapshots.write(slot, due);
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
        for (DocumentSlot slot : open.all()) {
            synchronized (slot) {
                if (slot.document != null && !slot.evicted && snapshots.writeBack(slot)) {
                    written++;
                }
            }
        }
        int saved = written;
        LOG.info(() -> "shutdown: " + saved + " of " + open.count() + " open documents are in their snapshots");
        working.shutdown();
    }

    private long everySnapshotNanos() {
        return TimeUnit.SECONDS.toNanos(snapshotEverySeconds);
    }
}
