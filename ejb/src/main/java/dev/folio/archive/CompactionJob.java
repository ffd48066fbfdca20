package dev.folio.archive;

import dev.folio.document.DocumentStore;
import dev.folio.document.DocumentSummary;
import dev.folio.document.StoredState;
import dev.folio.eventlog.ConfiguredEventLog;
import dev.folio.eventlog.DocumentDeletion;
import dev.folio.eventlog.EventLogProgress;
import dev.folio.kafka.KafkaClients;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.DependsOn;
import jakarta.ejb.EJB;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.MetricRegistry;

/**
 * Compacts every document every {@code folio.compaction.every-seconds} (on a scheduler of its own:
 * Payara Micro without its Hazelcast cluster, as Folio runs it, has no EJB timer service for
 * programmatic timers, and {@code @Schedule} cannot take its cadence from configuration; each node
 * schedules its own runs when it starts), archiving events older than the document's
 * stored snapshot and than {@code folio.compaction.retention-seconds} ({@link Compaction}). Every
 * node runs it; a lease per document ({@link DynamoDbCompactionLease}) makes one node at a time
 * compact each document, and the others pass it over. Then come the documents deleted longer than the
 * retention ago: all their events go to the archive ({@link Compaction#compactDeleted}).
 *
 * <p>A document whose compaction fails (S3 or DynamoDB away, a corrupt archive, events that do not
 * agree with the snapshot) is counted in {@code folio.compaction.failures}, logged with its id, and
 * tried again on the next run; nothing the live system does waits for this job. Runs of one node
 * never overlap (its methods are synchronized): a run asked for while another goes on waits for it.
 */
@Singleton
@Startup
// The schema is brought up to date before this bean uses the database.
@DependsOn("SchemaMigrations")
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class CompactionJob {

    private static final Logger LOG = Logger.getLogger(CompactionJob.class.getName());

    /** Longer than any one document's compaction takes; renewed before events are removed. */
    private static final Duration LEASE = Duration.ofMinutes(10);

    private static final int PAGE = 200;

    @Inject
    @ConfigProperty(name = "folio.compaction.every-seconds", defaultValue = "3600")
    long everySeconds;

    @Inject
    @ConfigProperty(name = "folio.compaction.retention-seconds", defaultValue = "86400")
    long retentionSeconds;

    @EJB
    DocumentStore store;

    @Inject
    ConfiguredEventLog eventLog;

    @Inject
    ConfiguredEventArchive archive;

    @Inject
    EventLogProgress progress;

    @Inject
    KafkaClients kafka;

    @Inject
    MetricRegistry metrics;

    @Resource
    ManagedThreadFactory threads;

    private ScheduledThreadPoolExecutor scheduler;

    private final String holder = UUID.randomUUID().toString();
    private Counter archived;
    private Counter archives;
    private Counter failures;

    /** What one run did. */
    public record Run(int documents, long archivedEvents, int archives, int failures) {}

    @PostConstruct
    void start() {
        archived = metrics.counter("folio.compaction.archived");
        archives = metrics.counter("folio.compaction.archives");
        failures = metrics.counter("folio.compaction.failures");
        scheduler = new ScheduledThreadPoolExecutor(1, threads);
        if (everySeconds > 0) {
            scheduler.scheduleWithFixedDelay(this::scheduled, everySeconds, everySeconds, TimeUnit.SECONDS);
        }
    }

    @PreDestroy
    void stop() {
        scheduler.shutdownNow();
    }

    private void scheduled() {
        try {
            Run run = compactAll();
            LOG.info(() -> "compaction: " + run);
        } catch (RuntimeException e) {
            // An exception would end the schedule: runs go on whatever one of them met.
            LOG.log(Level.SEVERE, "a compaction run failed", e);
        }
    }

    /** Compacts every document now. */
    public synchronized Run compactAll() {
        Run total = new Run(0, 0, 0, 0);
        for (int offset = 0; ; offset += PAGE) {
            List<DocumentSummary> page;
            try {
                page = store.list(offset, PAGE);
            } catch (RuntimeException e) {
                return add(total, failed(null, e));
            }
            for (DocumentSummary document : page) {
                total = add(total, compact(document.id()));
            }
            if (page.size() < PAGE) {
                return add(total, compactDeleted());
            }
        }
    }

    /** Archives the events of documents deleted longer than the retention ago. */
    private Run compactDeleted() {
        List<DocumentDeletion> deletions;
        try {
            deletions = eventLog.deletions();
        } catch (RuntimeException e) {
            return failed(null, e);
        }
        Run total = new Run(0, 0, 0, 0);
        for (DocumentDeletion deletion : deletions) {
            total = add(total, compactDeleted(deletion));
        }
        return total;
    }

    /** Compacts one document, or a deleted one's events, now, unless another node holds its lease. */
    public synchronized Run compact(UUID documentId) {
        try {
            Optional<StoredState> snapshot = store.load(documentId);
            if (snapshot.isEmpty()) {
                return eventLog.deletion(documentId).map(this::compactDeleted).orElse(new Run(0, 0, 0, 0));
            }
            if (!progress.wroteThrough(documentId, snapshot.get().logOffset())) {
                return new Run(1, 0, 0, 0); // the event log is behind the snapshot: next run
            }
            return leased(documentId, compaction -> compaction.compact(documentId, snapshot.get(), archiveBefore()));
        } catch (RuntimeException e) {
            return failed(documentId, e);
        }
    }

    /**
     * A deleted document's events go to the archive once the retention has passed since the
     * deletion (until then an accidental deletion finds them where they were); the deletion is
     * forgotten when none is left in the event log. The writer records a deletion only after every
     * event before it, so the event log is known to hold them all.
     */
    private Run compactDeleted(DocumentDeletion deletion) {
        UUID documentId = deletion.documentId();
        if (!deletion.deletedAt().isBefore(archiveBefore())) {
            return new Run(1, 0, 0, 0);
        }
        try {
            Run run = leased(documentId, compaction -> compaction.compactDeleted(documentId, deletion.kafkaOffset()));
            if (eventLog.replay(documentId, -1, 1).isEmpty()) {
                // The archive remembers the deletion from now on: a recovery never brings it back.
                archive.markDeleted(documentId);
                eventLog.forgetDeletion(documentId);
            }
            return run;
        } catch (RuntimeException e) {
            return failed(documentId, e);
        }
    }

    private Instant archiveBefore() {
        return Instant.now().minusSeconds(retentionSeconds);
    }

    /** Runs one compaction holding the document's lease, unless another node holds it. */
    private Run leased(UUID documentId, Function<Compaction, Compaction.Result> work) {
        CompactionLease lease = lease();
        if (!lease.hold(documentId)) {
            return new Run(1, 0, 0, 0);
        }
        try {
            return compacted(documentId, work.apply(new Compaction(eventLog, archive, lease)));
        } finally {
            lease.release(documentId);
        }
    }

    private CompactionLease lease() {
        return new DynamoDbCompactionLease(
                eventLog.dynamo(), eventLog.table(), kafka.node() + "/" + holder, LEASE, Clock.systemUTC());
    }

    private Run compacted(UUID documentId, Compaction.Result result) {
        int moved = result.finished() + result.archived();
        archived.inc(moved);
        if (result.key() != null) {
            archives.inc();
            LOG.info(() -> "document " + documentId + ": " + result.archived() + " events archived to " + result.key()
                    + (result.finished() > 0 ? ", " + result.finished() + " left by an interrupted run removed" : ""));
        } else if (result.finished() > 0) {
            LOG.info(() -> "document " + documentId + ": " + result.finished()
                    + " events an interrupted run had archived removed");
        }
        return new Run(1, moved, result.key() == null ? 0 : 1, 0);
    }

    private Run failed(UUID documentId, RuntimeException e) {
        failures.inc();
        String what = documentId == null ? "listing the documents" : "document " + documentId;
        boolean ours = e instanceof CorruptArchiveException || e instanceof CompactionException;
        // A corrupt archive or a disagreeing history needs an operator; an outage only needs time.
        LOG.log(
                ours ? Level.SEVERE : Level.WARNING,
                "compaction failed for " + what + "; it is tried again on the next run: " + e.getMessage(),
                ours ? null : e);
        return new Run(documentId == null ? 0 : 1, 0, 0, 1);
    }

    private static Run add(Run a, Run b) {
        return new Run(
                a.documents() + b.documents(),
                a.archivedEvents() + b.archivedEvents(),
                a.archives() + b.archives(),
                a.failures() + b.failures());
    }
}
