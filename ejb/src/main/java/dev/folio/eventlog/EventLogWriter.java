package dev.folio.eventlog;

import dev.folio.document.DeltaBatchCodec;
import dev.folio.document.DocumentStore;
import dev.folio.document.LoggedBatch;
import dev.folio.eventlog.DocumentTitles.TitleAndAuthor;
import dev.folio.kafka.ConsumerLoop;
import dev.folio.kafka.KafkaClients;
import dev.folio.lseq.InvalidDeltaException;
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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.NoOffsetForPartitionException;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.MetricRegistry;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;

/**
 * Writes every delta of the log to the event log (DynamoDB), one event per delta, the events of
 * each poll (up to 200 records) in requests of {@value DynamoDbEventLog#BATCH} items, on its own
 * thread: the edit path never waits for it. All nodes share one consumer group ({@code
 * folio.eventlog.group}), so each record is written by one node, and a node that stops leaves its
 * partitions to the others. Offsets are committed after a poll's events are written: at least
 * once, and a record written twice changes nothing, since an event is one operation at one offset.
 *
 * <p>An event's {@code version} is not the document version the delta produced, as the design has
 * it, but the delta's position within its Kafka record (1, 2, ...): the writer holds no replicas, so
 * it cannot know which version a delta made. (kafkaOffset, version) still orders a document's events
 * as the log does, which is what replaying them needs ({@link BatchEvents}). Title and author are
 * the document's when the event is written, looked up in the store (deleted or unknown: an empty
 * title and no author). A deletion record has no deltas and writes nothing.
 *
 * <p>While DynamoDB, the store or Kafka cannot be reached, the writer waits and retries the same
 * record, saying so once: it never moves past a record it has not written. A record DynamoDB
 * refuses as invalid, or records Kafka dropped before the writer got to them, stop it where it is
 * ({@link #stuck}: the node reports itself not ready, {@code folio.eventlog.stuck} is 1) until an
 * operator acts; it never skips or jumps past them, since documents opened from the event log would
 * then miss acknowledged edits. Only a record that is no log record at all is logged and passed
 * over: no node, reading Kafka or the event log, ever applies one.
 */
@Singleton
@Startup
// The schema is brought up to date before this bean uses the database.
@DependsOn("SchemaMigrations")
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class EventLogWriter {

    private static final Logger LOG = Logger.getLogger(EventLogWriter.class.getName());

    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration FIRST_RETRY = Duration.ofMillis(200);
    private static final Duration LAST_RETRY = Duration.ofSeconds(10);
    private static final Duration PROBE_EVERY = Duration.ofSeconds(5);

    @EJB
    DocumentStore store;

    @Inject
    ConfiguredEventLog eventLog;

    @Inject
    KafkaClients kafka;

    @Resource
    ManagedThreadFactory threads;

    @Inject
    MetricRegistry metrics;

    private ConsumerLoop loop;
    private volatile boolean writing = true;
    /** A record DynamoDB refuses, while the writer is stopped at it. */
    private volatile String refusal;
    /** Partitions this writer's consumer found records dropped unwritten in. */
    private volatile String gap;
    /** The partitions paused at a gap: only the writer's thread touches it. */
    private final Set<TopicPartition> gapPartitions = new HashSet<>();

    private volatile long lag;
    /** When to look at the lag next: only the writer's thread touches it. */
    private Instant probeAt = Instant.now();

    private DocumentTitles titles;
    private Counter written;
    private Counter skipped;
    /** Whether the current outage was logged: only the writer's thread touches it. */
    private boolean outageReported;

    @PostConstruct
    void start() {
        titles = new DocumentTitles(store::find);
        written = metrics.counter("folio.eventlog.written");
        skipped = metrics.counter("folio.eventlog.skipped");
        metrics.gauge("folio.eventlog.lag", this, EventLogWriter::lag);
        metrics.gauge("folio.eventlog.stuck", this, writer -> writer.stuck() == null ? 0 : 1);
        loop = new ConsumerLoop(
                "folio-event-log-writer",
                this::newConsumer,
                new Reader(),
                e -> outage("Kafka at " + kafka.bootstrap(), e),
                FIRST_RETRY,
                LAST_RETRY);
        loop.start(threads);
    }

    @PreDestroy
    void stop() {
        loop.stop();
    }

    /** Whether the writer runs and its last attempt to write or to reach Kafka succeeded. */
    public boolean running() {
        return loop.running() && writing;
    }

    /**
     * Why the writer cannot go on without an operator (a record DynamoDB refuses, or records Kafka
     * dropped before they were written), or null while nothing stops it.
     */
    public String stuck() {
        String refused = refusal;
        return refused != null ? refused : gap;
    }

    /** Records of this node's partitions not written yet, at the last probe. */
    public long lag() {
        return lag;
    }

    private Consumer<String, byte[]> newConsumer() {
        return kafka.consumer(
                "event-log",
                Map.of(
                        ConsumerConfig.GROUP_ID_CONFIG,
                        kafka.eventLogGroup(),
                        // Never jump: a position Kafka no longer has is a gap to report, not to skip.
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                        "none",
                        ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                        200));
    }

    private final class Reader implements ConsumerLoop.Reader {

        @Override
        public void open(Consumer<String, byte[]> opened) {
            gap = null; // a new consumer finds any gap again
            gapPartitions.clear();
            opened.subscribe(List.of(kafka.topic()));
            probeAt = Instant.now();
        }

        @Override
        public void pollOnce(Consumer<String, byte[]> opened) {
            ConsumerRecords<String, byte[]> records = poll(opened, POLL);
            if (records.isEmpty() || !write(opened, records)) {
                return; // nothing came, or stopping: what was not written is not committed
            }
            commit(opened, records);
            if (Instant.now().isAfter(probeAt)) {
                probeLag(opened);
                probeAt = Instant.now().plus(PROBE_EVERY);
            }
        }
    }

    /**
     * Polls, placing partitions the group has no position in yet at the log's start when the log
     * still begins at offset 0 (nothing was ever dropped); a partition whose position, or start, Kafka
     * no longer has is a gap in the event log: it is paused, reported and never skipped.
     */
    private ConsumerRecords<String, byte[]> poll(Consumer<String, byte[]> opened, Duration timeout) {
        try {
            return opened.poll(timeout);
        } catch (NoOffsetForPartitionException e) {
            Map<TopicPartition, Long> starts = opened.beginningOffsets(e.partitions());
            for (TopicPartition partition : e.partitions()) {
                long start = starts.get(partition);
                if (start == 0) {
                    LOG.info(() -> "the event log writer starts " + partition + " at its beginning");
                    opened.seek(partition, 0);
                } else {
                    // A position, so that the consumer stops asking for one; never committed (see commit).
                    opened.seek(partition, start);
                    gap(opened, partition, "the group has no position there and Kafka keeps it only from " + start);
                }
            }
        } catch (OffsetOutOfRangeException e) {
            for (Map.Entry<TopicPartition, Long> lost :
                    e.offsetOutOfRangePartitions().entrySet()) {
                gap(
                        opened,
                        lost.getKey(),
                        "its position " + lost.getValue() + " is no longer in Kafka: records were dropped unwritten");
            }
        }
        return ConsumerRecords.empty();
    }

    private void gap(Consumer<String, byte[]> opened, TopicPartition partition, String why) {
        gapPartitions.add(partition);
        opened.pause(List.of(partition));
        String reason = "the event log misses records of " + partition + ": " + why
                + "; documents whose history needs them refuse to open (docs/operations.md, event-log gaps)";
        gap = reason;
        LOG.severe(reason);
    }

    /** Records of this node's partitions not written yet (the end of each, less the writer's position). */
    private void probeLag(Consumer<String, byte[]> opened) {
        var assigned = opened.assignment();
        if (assigned.isEmpty()) {
            lag = 0;
            return;
        }
        long behind = 0;
        for (Map.Entry<TopicPartition, Long> end :
                opened.endOffsets(assigned, Duration.ofSeconds(2)).entrySet()) {
            behind += Math.max(0, end.getValue() - opened.position(end.getKey(), Duration.ofSeconds(2)));
        }
        lag = behind;
    }

    /**
     * Commits, for each partition, the offset after the last record written: exactly what was
     * written, never a position a gap's partition was merely placed at. A redelivery after a failed
     * commit only rewrites what is there: no harm, so it is only noted.
     */
    private void commit(Consumer<String, byte[]> opened, ConsumerRecords<String, byte[]> written) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition partition : written.partitions()) {
            List<ConsumerRecord<String, byte[]>> records = written.records(partition);
            offsets.put(
                    partition,
                    new OffsetAndMetadata(records.get(records.size() - 1).offset() + 1));
        }
        try {
            opened.commitSync(offsets);
        } catch (CommitFailedException | RebalanceInProgressException e) {
            LOG.log(
                    Level.INFO,
                    "event log offsets not committed (the group rebalanced); some records will be written again: {0}",
                    e.getMessage());
        }
    }

    /**
     * Writes the events of every record polled, in requests of many items, retrying the same events
     * until they are stored: they are committed only after that.
     *
     * @return false if the writer is stopping and the records may not be committed
     */
    private boolean write(Consumer<String, byte[]> opened, ConsumerRecords<String, byte[]> records) {
        Duration wait = FIRST_RETRY;
        boolean retrying = false;
        while (!loop.stopping()) {
            if (retrying) {
                keepMembership(opened);
            }
            retrying = true;
            String failing = "the document store";
            try {
                List<LoggedDelta> events = new ArrayList<>();
                List<DocumentDeletion> deletions = new ArrayList<>();
                for (ConsumerRecord<String, byte[]> record : records) {
                    events.addAll(events(record, deletions));
                }
                failing = "DynamoDB (" + eventLog.describe() + ")";
                eventLog.write(events);
                // After the events: a deletion recorded means its document's events are all written.
                eventLog.recordDeletions(deletions);
                written.inc(events.size());
                restored();
                resumeAll(opened);
                return true;
            } catch (RuntimeException e) {
                if (neverWritable(e)) {
                    refused(records, e);
                    wait = loop.pause(LAST_RETRY);
                    continue;
                }
                outage(failing, e);
                wait = loop.pause(wait);
            }
        }
        return false;
    }

    /**
     * While the same records are written again and again (DynamoDB away, or refusing them), the
     * consumer still polls, with every partition paused: a consumer that stops polling is put out
     * of the group after {@code max.poll.interval.ms}, and its partitions would go to another node
     * that would get stuck the same way.
     */
    private void keepMembership(Consumer<String, byte[]> opened) {
        opened.pause(opened.assignment());
        ConsumerRecords<String, byte[]> arrived = poll(opened, Duration.ZERO);
        // Partitions assigned during that poll were not paused: put back what came from them, so
        // that nothing is passed over unwritten.
        for (TopicPartition partition : arrived.partitions()) {
            opened.seek(partition, arrived.records(partition).get(0).offset());
        }
        opened.pause(opened.assignment());
    }

    private void resumeAll(Consumer<String, byte[]> opened) {
        Set<TopicPartition> resumed = new HashSet<>(opened.paused());
        resumed.removeAll(gapPartitions);
        opened.resume(resumed);
    }

    /**
     * The record's deltas as events (title and author looked up in the store); none for a record
     * that is no log record (logged and passed over), a deletion (added to {@code deletions}, for
     * compaction to archive the document's events) or a dropped batch.
     */
    private List<LoggedDelta> events(ConsumerRecord<String, byte[]> record, List<DocumentDeletion> deletions) {
        LoggedBatch batch;
        try {
            if (record.key() == null || record.value() == null) {
                throw new IllegalArgumentException("no key or no value");
            }
            batch = DeltaBatchCodec.decode(UUID.fromString(record.key()), record.offset(), record.value());
        } catch (IllegalArgumentException | InvalidDeltaException e) {
            skip(record, "it is not a log record", e);
            return List.of();
        }
        if (batch.dropped()) {
            return List.of(); // names deltas that never reached the log: nothing to keep
        }
        if (batch.deleted()) {
            titles.forget(batch.documentId());
            LOG.fine(() -> "document " + batch.documentId() + " deleted at offset " + record.offset());
            deletions.add(new DocumentDeletion(batch.documentId(), record.offset(), timeOf(record)));
            return List.of();
        }
        Instant at = timeOf(record);
        TitleAndAuthor document = titles.of(batch.documentId());
        return BatchEvents.events(batch, document.title(), document.authorId(), at);
    }

    private static Instant timeOf(ConsumerRecord<String, byte[]> record) {
        return record.timestamp() >= 0 ? Instant.ofEpochMilli(record.timestamp()) : Instant.now();
    }

    /**
     * DynamoDB refuses the records' items as invalid. Skipping them would leave a hole that a document
     * opened from the event log could not see: the writer stops here, loudly, and tries again now
     * and then, until an operator mends the cause (docs/operations.md).
     */
    private void refused(ConsumerRecords<String, byte[]> records, RuntimeException e) {
        ConsumerRecord<String, byte[]> first = records.iterator().next();
        String reason = "DynamoDB refuses the events of " + records.count() + " records from " + first.topic() + "-"
                + first.partition() + "@" + first.offset() + ": " + e.getMessage();
        if (!reason.equals(refusal)) {
            LOG.log(Level.SEVERE, "the event log writer stops at records it cannot write: " + reason, e);
        }
        refusal = reason;
    }

    /** DynamoDB calls an item invalid (too large, say): writing it again would fail the same way. */
    private static boolean neverWritable(RuntimeException e) {
        return e instanceof DynamoDbException dynamo
                && dynamo.awsErrorDetails() != null
                && "ValidationException".equals(dynamo.awsErrorDetails().errorCode());
    }

    private void skip(ConsumerRecord<String, byte[]> record, String why, Exception e) {
        skipped.inc();
        LOG.log(Level.SEVERE, "record {0}-{1}@{2} (key {3}) is not written to the event log, {4}: {5}", new Object[] {
            record.topic(), record.partition(), record.offset(), record.key(), why, e.toString()
        });
    }

    private void outage(String what, Exception e) {
        if (loop.stopping()) {
            return; // an interrupted call, not an outage
        }
        writing = false;
        if (!outageReported) {
            outageReported = true;
            LOG.log(Level.WARNING, "the event log writer cannot reach {0} ({1}); it waits and retries", new Object[] {
                what, e.toString()
            });
        }
    }

    private void restored() {
        writing = true;
        refusal = null;
        if (outageReported) {
            outageReported = false;
            LOG.info("the event log writer writes again");
        }
    }
}
