package dev.folio.messaging;

import dev.folio.document.DeltaBatchCodec;
import dev.folio.document.DocumentLog;
import dev.folio.document.IncompleteHistoryException;
import dev.folio.document.LoggedBatch;
import dev.folio.eventlog.BatchEvents;
import dev.folio.eventlog.EventLog;
import dev.folio.eventlog.EventLogProgress;
import dev.folio.eventlog.LoggedDelta;
import dev.folio.kafka.DocumentPartitions;
import dev.folio.kafka.KafkaClients;
import dev.folio.lseq.InvalidDeltaException;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Timer;

/**
 * The log read back for a document being opened: its records in the Kafka topic, in the partition
 * its key hashes to ({@link DocumentPartitions}), read with no consumer group from the requested
 * offset up to the partition's end at the time of the call. Records Kafka no longer retains come
 * from the event log (DynamoDB), which holds every delta of the log by the offset of its record.
 *
 * <p>A document's records share their partition with other documents': a read goes through them
 * all and keeps the document's. That costs tens of milliseconds for a recent snapshot; a document
 * whose snapshot is far behind reads more, which snapshots every so many deltas keep bounded.
 *
 * <p>Thread-safe: each call borrows a consumer of its own (consumers are not thread-safe) from a
 * small pool, so concurrent opens do not each pay for a new client.
 */
@ApplicationScoped
public class KafkaDocumentLog implements DocumentLog {

    private static final Logger LOG = Logger.getLogger(KafkaDocumentLog.class.getName());

    private static final int POOLED = 4;
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration FEED_WAIT = Duration.ofSeconds(10);
    /** Events per event-log query; doubled when one record alone has more. */
    private static final int EVENT_PAGE = 5_000;

    @Inject
    KafkaClients kafka;

    @Inject
    EventLog eventLog;

    @Inject
    EventLogProgress progress;

    @Inject
    FeedPlacement placement;

    @Inject
    MetricRegistry metrics;

    private final ConcurrentLinkedDeque<KafkaConsumer<String, byte[]>> idle = new ConcurrentLinkedDeque<>();
    /** How long the topic's identity is taken as known. */
    private static final Duration IDENTITY_KEPT = Duration.ofSeconds(30);

    private volatile Identity identity;
    private Admin admin;
    private Timer reads;
    private Counter eventLogReads;

    @PostConstruct
    void start() {
        reads = metrics.timer("folio.log.read");
        eventLogReads = metrics.counter("folio.log.read.eventlog");
    }

    @PreDestroy
    void close() {
        synchronized (this) {
            if (admin != null) {
                admin.close(Duration.ZERO);
            }
        }
        for (KafkaConsumer<String, byte[]> consumer; (consumer = idle.poll()) != null; ) {
            consumer.close(Duration.ZERO);
        }
    }

    @Override
    public List<LoggedBatch> after(UUID documentId, long afterOffset) {
        try (Timer.Context timing = reads.time()) {
            return borrowing(consumer -> {
                // What the feed brings starts where this read ends only once the feed is placed.
                placement.await(FEED_WAIT);
                try {
                    return read(consumer, documentId, afterOffset);
                } catch (OffsetOutOfRangeException deletedMeanwhile) {
                    // Kafka dropped old records between finding the partition's start and reading from
                    // it: once more, and the event log gives what went.
                    return read(consumer, documentId, afterOffset);
                }
            });
        }
    }

    /**
     * The topic's id and partition count, e.g. {@code 6KN2x...:12}; asked of Kafka again after
     * {@link #IDENTITY_KEPT}, or at once after {@link #forgetIdentity}.
     *
     * @throws IllegalStateException if Kafka cannot be asked
     */
    @Override
    public String identity() {
        Identity known = identity;
        if (known != null && System.nanoTime() - known.askedNanos() < IDENTITY_KEPT.toNanos()) {
            return known.value();
        }
        try {
            TopicDescription topic = admin().describeTopics(List.of(kafka.topic()))
                    .allTopicNames()
                    .get(READ_TIMEOUT.toSeconds(), TimeUnit.SECONDS)
                    .get(kafka.topic());
            String value = topic.topicId() + ":" + topic.partitions().size();
            identity = new Identity(value, System.nanoTime());
            return value;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while describing " + kafka.topic(), e);
        } catch (ExecutionException | TimeoutException | KafkaException e) {
            throw new IllegalStateException(
                    "the log cannot be read: Kafka at " + kafka.bootstrap() + ", topic " + kafka.topic() + ": " + e, e);
        }
    }

    /** The topic may have been made anew (the feed lost its place): ask Kafka at the next open. */
    public void forgetIdentity() {
        identity = null;
    }

    private synchronized Admin admin() {
        if (admin == null) {
            admin = kafka.admin("log-identity");
        }
        return admin;
    }

    private record Identity(String value, long askedNanos) {}

    @Override
    public long lastOffset(UUID documentId) {
        return borrowing(consumer -> {
            TopicPartition partition = partitionOf(consumer, documentId);
            return consumer.endOffsets(List.of(partition)).get(partition) - 1;
        });
    }

    private List<LoggedBatch> read(KafkaConsumer<String, byte[]> consumer, UUID documentId, long afterOffset) {
        TopicPartition partition = partitionOf(consumer, documentId);
        consumer.assign(List.of(partition));
        long retained = consumer.beginningOffsets(List.of(partition)).get(partition);
        long end = consumer.endOffsets(List.of(partition)).get(partition);
        List<LoggedBatch> records = new ArrayList<>();
        long from = afterOffset + 1;
        if (from < retained) {
            requireWritten(documentId, partition, from, retained);
            records.addAll(fromEventLog(documentId, afterOffset, retained));
            from = retained;
        }
        if (from < end) {
            records.addAll(fromKafka(consumer, partition, documentId, from, end));
        }
        return records;
    }

    /**
     * Checks that the event log holds every record in [from, retained) of the partition, which Kafka
     * no longer has: the event-log writer must have committed a position at or past {@code
     * retained}. Otherwise part of the document's history is in neither store.
     *
     * @throws IncompleteHistoryException if it does not
     */
    private void requireWritten(UUID documentId, TopicPartition partition, long from, long retained) {
        OptionalLong written = progress.committed(partition.partition());
        if (written.isEmpty() || written.getAsLong() < retained) {
            String why = String.format(
                    "its records from offset %d of %s are needed; Kafka keeps them from %d on, and the event-log"
                            + " writer (group %s) wrote them up to %s",
                    from,
                    partition,
                    retained,
                    kafka.eventLogGroup(),
                    written.isEmpty() ? "none (it never committed there)" : Long.toString(written.getAsLong()));
            IncompleteHistoryException incomplete = new IncompleteHistoryException(documentId, why);
            LOG.severe(incomplete::getMessage);
            throw incomplete;
        }
    }

    /** The document's records in [from, end) of its partition. */
    private List<LoggedBatch> fromKafka(
            KafkaConsumer<String, byte[]> consumer, TopicPartition partition, UUID documentId, long from, long end) {
        String key = DocumentPartitions.key(documentId);
        List<LoggedBatch> records = new ArrayList<>();
        consumer.seek(partition, from);
        long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
        while (consumer.position(partition) < end) {
            if (System.nanoTime() > deadline) {
                throw new KafkaException("reading " + partition + " from " + from + " to " + end + " took over "
                        + READ_TIMEOUT.toSeconds() + " s");
            }
            for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL).records(partition)) {
                if (record.offset() < end && key.equals(record.key())) {
                    decode(documentId, record, records);
                }
            }
        }
        return records;
    }

    private static void decode(UUID documentId, ConsumerRecord<String, byte[]> record, List<LoggedBatch> into) {
        try {
            into.add(DeltaBatchCodec.decode(documentId, record.offset(), record.value()));
        } catch (InvalidDeltaException | NullPointerException e) {
            // The feed skips it too: no node applies it.
            LOG.log(
                    Level.WARNING,
                    "record {0}@{1} of document {2} is not a log record and is skipped: {3}",
                    new Object[] {record.partition(), record.offset(), documentId, e.getMessage()});
        }
    }

    /**
     * The document's records after {@code afterOffset} and below {@code retained} (what Kafka no
     * longer has), from the event log, which {@link #requireWritten} found holding them all; a
     * deletion record is not there, but a deleted document is not opened.
     */
    private List<LoggedBatch> fromEventLog(UUID documentId, long afterOffset, long retained) {
        eventLogReads.inc();
        List<LoggedDelta> events = new ArrayList<>();
        long cursor = afterOffset;
        int limit = EVENT_PAGE;
        while (cursor < retained - 1) {
            List<LoggedDelta> page = eventLog.replay(documentId, cursor, limit);
            boolean more = page.size() == limit;
            if (more) {
                // The page may end inside a record's deltas: leave that record to the next page.
                long last = page.get(page.size() - 1).kafkaOffset();
                List<LoggedDelta> whole = page.stream()
                        .filter(event -> event.kafkaOffset() < last)
                        .toList();
                if (whole.isEmpty()) {
                    limit *= 2;
                    continue;
                }
                page = whole;
            }
            if (page.isEmpty()) {
                break;
            }
            for (LoggedDelta event : page) {
                if (event.kafkaOffset() < retained) {
                    events.add(event);
                }
            }
            cursor = page.get(page.size() - 1).kafkaOffset();
            if (!more) {
                break;
            }
        }
        return BatchEvents.records(documentId, events);
    }

    private TopicPartition partitionOf(KafkaConsumer<String, byte[]> consumer, UUID documentId) {
        List<PartitionInfo> partitions = consumer.partitionsFor(kafka.topic());
        if (partitions == null || partitions.isEmpty()) {
            throw new KafkaException("topic " + kafka.topic() + " does not exist");
        }
        return new TopicPartition(kafka.topic(), DocumentPartitions.partitionOf(documentId, partitions.size()));
    }

    /**
     * Runs {@code use} with a consumer of the pool (or a new one) and gives it back unless it failed.
     *
     * @throws IllegalStateException if Kafka or the event log could not be read
     */
    private <T> T borrowing(Function<KafkaConsumer<String, byte[]>, T> use) {
        KafkaConsumer<String, byte[]> consumer = idle.poll();
        if (consumer == null) {
            consumer = kafka.consumer(
                    "log-reader",
                    Map.of(
                            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                            "none",
                            ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                            2_000));
        }
        boolean reusable = false;
        try {
            T result = use.apply(consumer);
            reusable = true;
            return result;
        } catch (KafkaException e) {
            throw new IllegalStateException(
                    "the log cannot be read: Kafka at " + kafka.bootstrap() + ", topic " + kafka.topic() + ": " + e, e);
        } catch (IncompleteHistoryException e) {
            reusable = true;
            throw e;
        } catch (InvalidDeltaException e) {
            throw new IllegalStateException("the event log holds a delta that cannot be read: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            // DynamoDB's exceptions (SdkException) and the like.
            throw new IllegalStateException("the log cannot be read: " + e, e);
        } finally {
            if (reusable && idle.size() < POOLED) {
                consumer.unsubscribe();
                idle.push(consumer);
            } else {
                consumer.close(Duration.ZERO);
            }
        }
    }
}
