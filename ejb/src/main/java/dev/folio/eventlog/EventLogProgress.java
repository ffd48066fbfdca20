package dev.folio.eventlog;

import dev.folio.kafka.DocumentPartitions;
import dev.folio.kafka.KafkaClients;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;

/**
 * How far the event-log writer has got, cluster-wide: the positions its consumer group committed,
 * each the first offset of a partition not yet written to the event log. Every record below it was
 * written (the writer commits only after writing), so a reader may take from the event log exactly
 * what lies below it. Read through Kafka's admin client, so any node can ask, whichever node writes.
 */
@ApplicationScoped
public class EventLogProgress {

    private static final long ANSWER_SECONDS = 5;

    @Inject
    KafkaClients kafka;

    private Admin admin;

    /**
     * The writer's committed position in {@code partition} of the log's topic, or empty if it never
     * committed one there.
     *
     * @throws KafkaException if Kafka does not answer
     */
    public OptionalLong committed(int partition) {
        TopicPartition topicPartition = new TopicPartition(kafka.topic(), partition);
        OffsetAndMetadata committed = committedPositions().get(topicPartition);
        return committed == null ? OptionalLong.empty() : OptionalLong.of(committed.offset());
    }

    /**
     * Whether the writer has written every record of the document's partition up to {@code
     * offset}: only then does the event log hold all of the document's events up to there.
     *
     * @throws KafkaException if Kafka does not answer
     */
    public boolean wroteThrough(UUID documentId, long offset) {
        String topic = kafka.topic();
        int partitions = answer(admin().describeTopics(List.of(topic)).allTopicNames())
                .get(topic)
                .partitions()
                .size();
        OptionalLong written = committed(DocumentPartitions.partitionOf(documentId, partitions));
        return written.isPresent() && written.getAsLong() > offset;
    }

    private Map<TopicPartition, OffsetAndMetadata> committedPositions() {
        return answer(admin().listConsumerGroupOffsets(kafka.eventLogGroup()).partitionsToOffsetAndMetadata());
    }

    private synchronized Admin admin() {
        if (admin == null) {
            admin = kafka.admin("event-log-progress");
        }
        return admin;
    }

    private static <T> T answer(org.apache.kafka.common.KafkaFuture<T> future) {
        try {
            return future.get(ANSWER_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted while asking Kafka", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof KafkaException kafkaException
                    ? kafkaException
                    : new KafkaException(e.getCause());
        } catch (TimeoutException e) {
            throw new KafkaException("Kafka did not answer in " + ANSWER_SECONDS + " s", e);
        }
    }

    @PreDestroy
    synchronized void close() {
        if (admin != null) {
            admin.close(java.time.Duration.ZERO);
        }
    }
}
