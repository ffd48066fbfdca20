package dev.folio.messaging;

import dev.folio.kafka.DocumentPartitions;
import dev.folio.kafka.KafkaClients;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.MetricRegistry;

/**
 * Writes the bridge's records to the Kafka topic, one at a time per caller, each acknowledged by
 * every in-sync replica before {@link #forward} returns. One idempotent producer serves every
 * bridge session: the producer is thread-safe and batches what they send together.
 *
 * <p>While Kafka cannot be reached, {@link #forward} waits and tries again, however long that
 * takes, instead of failing: a failure would roll the message back into Artemis, and one
 * redelivered later could reach Kafka after later records of its document. The message stays
 * unacknowledged meanwhile, so nothing is lost if the node dies. Only a shutdown (this bean being
 * destroyed, the JVM exiting, or the calling thread interrupted, which the adapter does when it
 * stops delivering) ends the wait with an exception, which rolls the message back.
 */
@Singleton
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.SUPPORTS)
public class KafkaDeltaForwarder {

    private static final Logger LOG = Logger.getLogger(KafkaDeltaForwarder.class.getName());

    private static final Duration FIRST_RETRY = Duration.ofMillis(100);
    private static final Duration LAST_RETRY = Duration.ofSeconds(2);

    @Inject
    KafkaClients kafka;

    @Inject
    MetricRegistry metrics;

    private final AtomicBoolean unreachable = new AtomicBoolean();
    private volatile boolean stopping;
    private volatile KafkaProducer<String, byte[]> producer;
    private Thread stopOnExit;
    private Counter forwarded;
    private Counter retries;

    @PostConstruct
    void start() {
        producer = newProducer();
        forwarded = metrics.counter("folio.bridge.forwarded");
        retries = metrics.counter("folio.bridge.kafka.retries");
        // A JVM being stopped may tear the application down only after the bridge's sessions have
        // waited out the adapter's own timeout: the hook ends the waits at once.
        stopOnExit = new Thread(() -> stopping = true, "folio-bridge-stop");
        Runtime.getRuntime().addShutdownHook(stopOnExit);
    }

    @PreDestroy
    synchronized void stop() {
        stopping = true;
        try {
            Runtime.getRuntime().removeShutdownHook(stopOnExit);
        } catch (IllegalStateException alreadyExiting) {
            // The hook has run or is running: nothing to remove.
        }
        producer.close(Duration.ofSeconds(5));
    }

    /**
     * Sends one record and waits until Kafka has it.
     *
     * @return the record's offset in its partition
     * @throws RefusedRecordException if Kafka refuses this record for good (too large, for instance):
     *     no retry would help
     * @throws IllegalStateException if the application is shutting down before Kafka had it
     */
    public long forward(UUID documentId, byte[] record) throws RefusedRecordException {
        ProducerRecord<String, byte[]> sent =
                new ProducerRecord<>(kafka.topic(), DocumentPartitions.key(documentId), record);
        Duration wait = FIRST_RETRY;
        while (true) {
            KafkaProducer<String, byte[]> sender = producer;
            try {
                long offset = sender.send(sent).get().offset();
                if (unreachable.compareAndSet(true, false)) {
                    LOG.info(() -> "Kafka at " + kafka.bootstrap() + " takes records again");
                }
                forwarded.inc();
                return offset;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("not forwarded: interrupted (delivery is stopping)", e);
            } catch (ExecutionException e) {
                failed(sender, e.getCause());
            } catch (KafkaException e) {
                // send() itself throws when the topic's metadata does not come within max.block.ms.
                failed(sender, e);
            } catch (IllegalStateException closed) {
                // Closed: by stop(), or by another session that just replaced it (then send again).
                if (sender == producer && !stopping) {
                    throw closed;
                }
            }
            // Even while stopping, one attempt is made: a message Kafka takes need not roll back.
            if (stopping) {
                throw new IllegalStateException("not forwarded: the application is shutting down");
            }
            retries.inc();
            pause(wait);
            wait = wait.multipliedBy(2).compareTo(LAST_RETRY) > 0 ? LAST_RETRY : wait.multipliedBy(2);
        }
    }

    /**
     * Sorts out why a send failed. A record Kafka will never take is refused. Anything else waits:
     * timeouts and the like (a broker gone, a partition without a leader) pass by themselves; other
     * errors (authorization, a producer Kafka no longer knows) leave the producer useless or need
     * someone to act, so the producer is replaced and the message waits in Artemis meanwhile.
     */
    private void failed(KafkaProducer<String, byte[]> sender, Throwable error) throws RefusedRecordException {
        if (stopping) {
            return;
        }
        if (error instanceof RecordTooLargeException
                || error instanceof RecordBatchTooLargeException
                || error instanceof InvalidRecordException) {
            throw new RefusedRecordException(error);
        }
        if (unreachable.compareAndSet(false, true)) {
            LOG.log(
                    Level.WARNING,
                    "Kafka at {0} does not take records ({1}); the bridge keeps them in Artemis and retries",
                    new Object[] {kafka.bootstrap(), error.toString()});
        }
        if (!(error instanceof RetriableException)) {
            renew(sender);
        }
    }

    private synchronized void renew(KafkaProducer<String, byte[]> failed) {
        if (producer == failed && !stopping) {
            producer = newProducer();
            failed.close(Duration.ZERO);
        }
    }

    private KafkaProducer<String, byte[]> newProducer() {
        // Short: a send waiting on a broker that is gone gives up soon, and the retry that follows
        // finds a restored broker within about a second.
        return kafka.producer(
                "bridge",
                Map.of(
                        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 5_000,
                        ProducerConfig.MAX_BLOCK_MS_CONFIG, 3_000));
    }

    private static void pause(Duration wait) {
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("not forwarded: interrupted (delivery is stopping)", e);
        }
    }

    /** Whether the last send found Kafka unreachable: for readiness. */
    public boolean kafkaUnreachable() {
        return unreachable.get();
    }
}
