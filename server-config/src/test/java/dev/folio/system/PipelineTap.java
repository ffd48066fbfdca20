package dev.folio.system;

import dev.folio.document.DeltaBatchCodec;
import dev.folio.document.LoggedBatch;
import dev.folio.document.SubmittedDelta;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads the log beside the nodes for {@link LoadBenchmark}: a Kafka consumer like a node's
 * DeltaFeed (every partition assigned, no consumer group, from the end of the topic when it
 * starts, the same fetch settings), which remembers, for every delta of every record, the record's
 * CreateTime (the bridge's producer stamps it as it sends the record; this benchmark's clients,
 * the nodes and the bridge share the machine's clock) and when it read the record. Split against
 * a client's send, ack and receive times, that says how long a delta took to reach Kafka and how
 * long from Kafka to the clients.
 *
 * <p>One more reader of the topic than the nodes: a fetch per poll, a few hundred microseconds of
 * the broker's CPU, next to the nodes' own.
 */
final class PipelineTap implements LoadBenchmark.LogTap, Runnable {

    /** Kafka's client logs its configuration and every connection at INFO: kept out of the results. */
    private static final Logger KAFKA_LOG = Logger.getLogger("org.apache.kafka");

    private final KafkaConsumer<String, byte[]> consumer;
    private final Map<String, LoadBenchmark.Seen> seen = new ConcurrentHashMap<>();
    private final Thread thread = new Thread(this, "pipeline-tap");
    private final CountDownLatch positioned = new CountDownLatch(1);
    private final String topic;
    private volatile boolean running = true;
    private volatile long notCreateTime;

    PipelineTap(String bootstrap, String topic) throws InterruptedException {
        KAFKA_LOG.setLevel(Level.WARNING);
        this.topic = topic;
        consumer = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrap,
                        ConsumerConfig.CLIENT_ID_CONFIG,
                        "folio-benchmark-tap",
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                        false,
                        ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                        1_000),
                new StringDeserializer(),
                new ByteArrayDeserializer());
        thread.setDaemon(true);
        thread.start();
        if (!positioned.await(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the tap could not read topic " + topic + " at " + bootstrap);
        }
    }

    @Override
    public void run() {
        try {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position); // seekToEnd is lazy: the end as it is now
            positioned.countDown();
            while (running) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    long readAt = LoadBenchmark.now();
                    if (record.timestampType() != TimestampType.CREATE_TIME) {
                        notCreateTime++;
                    }
                    take(record, readAt);
                }
            }
        } catch (WakeupException closing) {
            // close()
        } catch (RuntimeException e) {
            System.err.println("# the pipeline tap stopped: " + e);
        } finally {
            consumer.close();
        }
    }

    private void take(ConsumerRecord<String, byte[]> record, long readAt) {
        LoggedBatch batch;
        try {
            batch = DeltaBatchCodec.decode(UUID.fromString(record.key()), record.offset(), record.value());
        } catch (RuntimeException notARecord) {
            return;
        }
        LoadBenchmark.Seen at = new LoadBenchmark.Seen(record.timestamp(), readAt);
        for (SubmittedDelta delta : batch.deltas()) {
            // The first copy: a redelivered message may bring a delta again, later.
            seen.putIfAbsent(key(batch.documentId(), delta.opId()), at);
        }
    }

    private static String key(UUID document, String opId) {
        return document + "/" + opId;
    }

    @Override
    public LoadBenchmark.Seen seen(UUID document, String opId) {
        return seen.get(key(document, opId));
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (notCreateTime > 0) {
            System.err.println("# " + notCreateTime + " records had no CreateTime (the topic sets LogAppendTime)");
        }
    }
}
