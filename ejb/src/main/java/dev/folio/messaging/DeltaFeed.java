package dev.folio.messaging;

import dev.folio.document.DeltaBatchCodec;
import dev.folio.document.DocumentManager;
import dev.folio.document.LoggedBatch;
import dev.folio.kafka.ConsumerLoop;
import dev.folio.kafka.DocumentPartitions;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Timer;

/**
 * Feeds every record of the log to this node's {@link DocumentManager}, which keeps those of the
 * documents open here. Each node reads every partition itself, with no consumer group (every node
 * needs every record, and nothing is committed), from the end of the log as it was when the node
 * started: a node starts with no document open, and a document it opens later reads what came
 * before from the log itself ({@link KafkaDocumentLog}).
 *
 * <p>While Kafka cannot be reached the feed keeps trying, saying so once; it carries on from where
 * it was, so an open document misses nothing. A record that is not a log record is logged and
 * skipped: no node could ever apply it.
 */
@Singleton
@Startup
@DependsOn("DocumentManager")
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class DeltaFeed {

    private static final Logger LOG = Logger.getLogger(DeltaFeed.class.getName());

    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration PROBE_EVERY = Duration.ofSeconds(5);
    private static final Duration FIRST_RETRY = Duration.ofMillis(200);
    private static final Duration LAST_RETRY = Duration.ofSeconds(5);

    @EJB
    DocumentManager documents;

    @Inject
    KafkaClients kafka;

    @Inject
    FeedPlacement placement;

    @Inject
    KafkaDocumentLog log;

    @Resource
    ManagedThreadFactory threads;

    @Inject
    MetricRegistry metrics;

    /** Where the feed goes on in each partition: only the feed's thread touches it. */
    private final Map<TopicPartition, Long> next = new HashMap<>();

    private ConsumerLoop loop;
    private volatile Instant lastPoll;
    private volatile boolean reachable;
    private volatile long lag = -1;
    /** Whether the current outage was logged: only the feed's thread touches it. */
    private boolean outageReported;
    /** When to look at the log's end next: only the feed's thread touches it. */
    private Instant probeAt = Instant.now();

    private int partitionCount;

    private Counter fed;
    private Timer delay;
    private Counter skipped;

    @PostConstruct
    void start() {
        fed = metrics.counter("folio.feed.records");
        delay = metrics.timer("folio.feed.delay");
        skipped = metrics.counter("folio.feed.skipped");
        metrics.gauge("folio.feed.lag", this, DeltaFeed::lag);
        loop = new ConsumerLoop(
                "folio-delta-feed", this::newConsumer, new Reader(), this::unreachable, FIRST_RETRY, LAST_RETRY);
        loop.start(threads);
    }

    @PreDestroy
    void stop() {
        loop.stop();
    }

    /**
     * Whether the feed is polling Kafka: started, not stopped, placed in every partition, and the
     * broker answered lately.
     */
    public boolean running() {
        return loop.running() && reachable && placement.isPlaced();
    }

    /** When the feed last returned from a poll, or null if it never did. */
    public Instant lastPoll() {
        return lastPoll;
    }

    /** Records behind the end of the log at the last probe, -1 if unknown. */
    public long lag() {
        return lag;
    }

    private Consumer<String, byte[]> newConsumer() {
        return kafka.consumer(
                "feed",
                Map.of(
                        ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                        1_000,
                        // Every position is set explicitly; one Kafka lost is handled in poll, never reset.
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                        "none"));
    }

    private final class Reader implements ConsumerLoop.Reader {

        @Override
        public void open(Consumer<String, byte[]> opened) {
            List<TopicPartition> partitions = partitions(opened);
            partitionCount = partitions.size();
            opened.assign(partitions);
            for (TopicPartition partition : partitions) {
                Long from = next.get(partition);
                if (from == null) {
                    opened.seekToEnd(List.of(partition));
                } else {
                    opened.seek(partition, from);
                }
            }
            // seekToEnd is lazy: fix the positions now, so the feed starts from the log's end as it is now.
            for (TopicPartition partition : partitions) {
                next.put(partition, opened.position(partition));
            }
            placement.placed();
            reached();
            probeAt = Instant.now().plus(PROBE_EVERY);
        }

        @Override
        public void pollOnce(Consumer<String, byte[]> opened) {
            for (ConsumerRecord<String, byte[]> record : poll(opened, partitionCount)) {
                // From the bridge's send (the record's create time) to here: Kafka's part of an ack.
                delay.update(Duration.ofMillis(Math.max(0, System.currentTimeMillis() - record.timestamp())));
                hand(record);
                next.put(new TopicPartition(record.topic(), record.partition()), record.offset() + 1);
            }
            lastPoll = Instant.now();
            if (lastPoll.isAfter(probeAt)) {
                probe(opened, List.copyOf(opened.assignment()));
                probeAt = lastPoll.plus(PROBE_EVERY);
            }
        }
    }

    /**
     * Polls. Where Kafka no longer has the feed's position (records dropped while the feed was away
     * from them), the documents open here in that partition may miss records: they are unloaded, so
     * their clients join again and they are read anew, and the feed reads the partition on from its
     * start. Never a silent jump.
     */
    private Iterable<ConsumerRecord<String, byte[]>> poll(Consumer<String, byte[]> opened, int partitionCount) {
        try {
            return opened.poll(POLL);
        } catch (OffsetOutOfRangeException e) {
            // Records dropped, or the topic made anew: opening documents must look at it afresh.
            log.forgetIdentity();
            for (TopicPartition lost : e.partitions()) {
                LOG.severe(() -> "the delta feed's position in " + lost + " is no longer in Kafka; the documents"
                        + " open in that partition are read again");
                documents.unloadWhere(
                        id -> DocumentPartitions.partitionOf(id, partitionCount) == lost.partition(),
                        "the feed missed records of its partition");
                opened.seekToBeginning(List.of(lost));
                next.put(lost, opened.position(lost));
            }
            return List.of();
        }
    }

    private List<TopicPartition> partitions(Consumer<String, byte[]> opened) {
        List<PartitionInfo> found = opened.partitionsFor(kafka.topic());
        if (found == null || found.isEmpty()) {
            throw new KafkaException("topic " + kafka.topic() + " does not exist (yet)");
        }
        return found.stream()
                .map(info -> new TopicPartition(info.topic(), info.partition()))
                .toList();
    }

    private void hand(ConsumerRecord<String, byte[]> record) {
        LoggedBatch batch;
        try {
            if (record.key() == null || record.value() == null) {
                throw new IllegalArgumentException("no key or no value");
            }
            batch = DeltaBatchCodec.decode(UUID.fromString(record.key()), record.offset(), record.value());
        } catch (IllegalArgumentException | InvalidDeltaException e) {
            skipped.inc();
            LOG.log(
                    Level.WARNING,
                    "record {0}-{1}@{2} (key {3}) is not a log record and is skipped: {4}",
                    new Object[] {record.topic(), record.partition(), record.offset(), record.key(), e.getMessage()});
            return;
        }
        try {
            documents.logged(batch);
            fed.inc();
        } catch (RuntimeException e) {
            // Skipping it would leave the open document behind the log for good: it is read anew.
            LOG.log(Level.SEVERE, "document " + batch.documentId() + " did not take record " + record.offset(), e);
            documents.unloadWhere(batch.documentId()::equals, "it did not take record " + record.offset());
        }
    }

    /** How far behind the end of the log the feed is, and whether Kafka still answers. */
    private void probe(Consumer<String, byte[]> opened, List<TopicPartition> partitions) {
        try {
            Map<TopicPartition, Long> ends = opened.endOffsets(partitions, Duration.ofSeconds(2));
            long behind = 0;
            for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
                behind += Math.max(0, end.getValue() - next.getOrDefault(end.getKey(), end.getValue()));
            }
            lag = behind;
            reached();
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            unreachable(e);
        }
    }

    private void reached() {
        outageReported = false;
        if (!reachable) {
            reachable = true;
            LOG.info(() -> "the delta feed reads " + kafka.topic() + " at " + kafka.bootstrap());
        }
    }

    private void unreachable(Exception e) {
        if (loop.stopping()) {
            return; // an interrupted call, not an outage
        }
        reachable = false;
        lag = -1;
        if (!outageReported) {
            outageReported = true;
            LOG.log(Level.WARNING, "the delta feed cannot reach Kafka at {0} ({1}); it keeps trying", new Object[] {
                kafka.bootstrap(), e.toString()
            });
        }
    }
}
