package dev.folio.eventlog;

import dev.folio.document.DeltaBatchCodec;
import dev.folio.document.DocumentStore;
import dev.folio.document.LoggedBatch;
import dev.folio.eventlog.DocumentTitles.TitleAndAuthor;
import dev.folio.lseq.InvalidDeltaException;
import dev.folio.messaging.KafkaClients;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.EJB;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.WakeupException;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.MetricRegistry;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Writes every delta of the log to the event log (DynamoDB), one event per delta. All nodes share
 * one consumer group, {@value #GROUP}, so each record is written by one node, and a node that stops
 * leaves its partitions to the others. Offsets are committed after a polled batch is written: at
 * least once, and a record written twice changes nothing, since the event log stores an operation
 * once.
 *
 * <p>An event's {@code version} is not the document version the delta produced, as the design has
 * it, but the delta's position within its Kafka record (1, 2, ...): the writer holds no replicas, so
 * it cannot know which version a delta made. (kafkaOffset, version) still orders a document's events
 * as the log does, which is what replaying them needs ({@link BatchEvents}). Title and author are
 * the document's when the event is written, looked up in the store (deleted or unknown: an empty
 * title and no author). A deletion record has no deltas and writes nothing.
 *
 * <p>While DynamoDB, the store or Kafka cannot be reached, the writer waits and retries the same
 * record, saying so once: it never moves past a record it has not written. Only a record that can
 * never be written (not a log record, or refused by DynamoDB as invalid) is logged and skipped.
 */
@Singleton
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class EventLogWriter {

    /** The consumer group every node's writer joins. */
    public static final String GROUP = "folio-event-log";

    private static final Logger LOG = Logger.getLogger(EventLogWriter.class.getName());

    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration FIRST_RETRY = Duration.ofMillis(200);
    private static final Duration LAST_RETRY = Duration.ofSeconds(10);

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

    private volatile boolean stopping;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private volatile boolean writing = true;
    private Thread thread;
    private DocumentTitles titles;
    private Counter written;
    private Counter repeated;
    private Counter skipped;
    /** Whether the current outage was logged: only the writer's thread touches it. */
    private boolean outageReported;

    @PostConstruct
    void start() {
        titles = new DocumentTitles(store::find);
        written = metrics.counter("folio.eventlog.written");
        repeated = metrics.counter("folio.eventlog.repeated");
        skipped = metrics.counter("folio.eventlog.skipped");
        thread = threads.newThread(this::run);
        thread.setName("folio-event-log-writer");
        thread.start();
    }

    @PreDestroy
    void stop() {
        stopping = true;
        KafkaConsumer<String, byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        thread.interrupt();
        try {
            thread.join(Duration.ofSeconds(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether the writer runs and its last attempt to write or to reach Kafka succeeded. */
    public boolean running() {
        return thread.isAlive() && !stopping && writing;
    }

    private void run() {
        Duration wait = FIRST_RETRY;
        while (!stopping) {
            try (KafkaConsumer<String, byte[]> opened = kafka.consumer(
                    "event-log",
                    Map.of(
                            ConsumerConfig.GROUP_ID_CONFIG,
                            GROUP,
                            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                            "earliest",
                            ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                            200))) {
                consumer = opened;
                if (stopping) {
                    return;
                }
                opened.subscribe(List.of(kafka.topic()));
                while (!stopping) {
                    ConsumerRecords<String, byte[]> records = opened.poll(POLL);
                    for (ConsumerRecord<String, byte[]> record : records) {
                        if (!write(record)) {
                            return; // stopping: what was not written is not committed
                        }
                    }
                    if (!records.isEmpty()) {
                        commit(opened);
                    }
                    wait = FIRST_RETRY;
                }
            } catch (WakeupException e) {
                // stop() woke the consumer: the loop ends.
            } catch (KafkaException e) {
                outage("Kafka at " + kafka.bootstrap(), e);
                wait = pause(wait);
            } catch (RuntimeException e) {
                LOG.log(Level.SEVERE, "the event log writer failed; it starts again", e);
                wait = pause(LAST_RETRY);
            } finally {
                consumer = null;
            }
        }
    }

    /** A redelivery after a failed commit only rewrites what is there: no harm, so it is only noted. */
    private void commit(KafkaConsumer<String, byte[]> opened) {
        try {
            opened.commitSync();
        } catch (CommitFailedException | RebalanceInProgressException e) {
            LOG.log(
                    Level.INFO,
                    "event log offsets not committed (the group rebalanced); some records will be written again: {0}",
                    e.getMessage());
        }
    }

    /** @return false if the writer is stopping and the record may not be written */
    private boolean write(ConsumerRecord<String, byte[]> record) {
        LoggedBatch batch;
        try {
            if (record.key() == null || record.value() == null) {
                throw new IllegalArgumentException("no key or no value");
            }
            batch = DeltaBatchCodec.decode(UUID.fromString(record.key()), record.offset(), record.value());
        } catch (IllegalArgumentException | InvalidDeltaException e) {
            skip(record, "it is not a log record", e);
            return true;
        }
        if (batch.deleted()) {
            titles.forget(batch.documentId());
            LOG.fine(() -> "document " + batch.documentId() + " deleted at offset " + record.offset());
            return true;
        }
        Instant at = record.timestamp() >= 0 ? Instant.ofEpochMilli(record.timestamp()) : Instant.now();
        Duration wait = FIRST_RETRY;
        while (!stopping) {
            String failing = "the document store";
            try {
                TitleAndAuthor document = titles.of(batch.documentId());
                failing = "DynamoDB (" + eventLog.describe() + ")";
                for (LoggedDelta event : BatchEvents.events(batch, document.title(), document.authorId(), at)) {
                    if (eventLog.append(event)) {
                        written.inc();
                    } else {
                        repeated.inc();
                    }
                }
                restored();
                return true;
            } catch (RuntimeException e) {
                if (neverWritable(e)) {
                    skip(record, "DynamoDB refuses it", e);
                    return true;
                }
                outage(failing, e);
                wait = pause(wait);
            }
        }
        return false;
    }

    /** DynamoDB calls an item invalid (too large, say): writing it again would fail the same way. */
    private static boolean neverWritable(RuntimeException e) {
        if (e instanceof TransactionCanceledException cancelled && cancelled.hasCancellationReasons()) {
            return cancelled.cancellationReasons().stream()
                    .map(CancellationReason::code)
                    .anyMatch("ValidationError"::equals);
        }
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
        if (stopping) {
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
        if (outageReported) {
            outageReported = false;
            LOG.info("the event log writer writes again");
        }
    }

    private Duration pause(Duration wait) {
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopping = true;
        }
        Duration next = wait.multipliedBy(2);
        return next.compareTo(LAST_RETRY) > 0 ? LAST_RETRY : next;
    }
}
