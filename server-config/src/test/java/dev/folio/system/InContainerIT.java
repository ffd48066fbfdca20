package dev.folio.system;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.folio.archive.ArchivedRange;
import dev.folio.archive.CompactionJob;
import dev.folio.archive.ConfiguredEventArchive;
import dev.folio.document.AcceptedDelta;
import dev.folio.document.DeltaBatchCodec;
import dev.folio.document.DeltaPublisher;
import dev.folio.document.DeltaSubscriber;
import dev.folio.document.DocumentLog;
import dev.folio.document.DocumentManager;
import dev.folio.document.DocumentStore;
import dev.folio.document.LoggedBatch;
import dev.folio.document.RebuiltDocument;
import dev.folio.document.StoredState;
import dev.folio.document.SubmittedDelta;
import dev.folio.eventlog.BatchEvents;
import dev.folio.eventlog.ConfiguredEventLog;
import dev.folio.eventlog.EventLogProgress;
import dev.folio.eventlog.LoggedDelta;
import dev.folio.kafka.KafkaClients;
import dev.folio.lseq.Replica;
import dev.folio.messaging.MessagingResources;
import jakarta.annotation.Resource;
import jakarta.inject.Inject;
import jakarta.jms.BytesMessage;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.Queue;
import jakarta.transaction.UserTransaction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The message-driven bridge and compaction, tested inside a Payara Micro node that runs Folio's
 * WAR on the suite's stack (issue 15): Arquillian starts the node ({@link ArquillianNode}), the
 * methods run in it on the application's own beans, and they check what the beans do to Artemis,
 * Kafka, DynamoDB and S3. One deployment for the class, because each starts a server (about 20 s).
 *
 * <p>Every node's bridge consumes the deltas queue, as in production, so the suite's own node may
 * be the one that forwards a message published here: what is tested is what any bridge does.
 */
@ExtendWith({ArquillianExtension.class, InheritedEnvironment.class})
class InContainerIT {

    private static final Duration PATIENCE = Duration.ofSeconds(60);
    /** Who types here: an id as sign-in gives them, made as {@code TestTokens.personId} makes the suite's. */
    private static final String USER = UUID.nameUUIDFromBytes(
                    "person in-container test".getBytes(StandardCharsets.UTF_8))
            .toString();
    /** A property of the test's own messages: the dead letter keeps it, and a selector finds it by it. */
    private static final String PROBE = "inContainerProbe";

    @Deployment
    static WebArchive folio() throws Exception {
        return ArquillianNode.folio(InContainerIT.class, InheritedEnvironment.class);
    }

    @Inject
    DeltaPublisher publisher;

    @Inject
    DocumentLog log;

    @Inject
    KafkaClients kafka;

    @Inject
    DocumentManager documents;

    @Inject
    DocumentStore store;

    @Inject
    EventLogProgress progress;

    @Inject
    CompactionJob compaction;

    @Inject
    ConfiguredEventLog eventLog;

    @Inject
    ConfiguredEventArchive archive;

    @Inject
    UserTransaction transaction;

    @Resource(lookup = MessagingResources.CONNECTION_FACTORY)
    ConnectionFactory connections;

    @Resource(lookup = MessagingResources.DELTAS)
    Queue deltas;

    @Resource(lookup = MessagingResources.DEAD_DELTAS)
    Queue deadDeltas;

    @Test
    void aBatchThePublisherSendsReachesTheDocumentsLogInKafkaThroughTheBridge() throws Exception {
        UUID document = UUID.randomUUID();
        List<SubmittedDelta> batch =
                List.of(new SubmittedDelta("bridged-1", 1, new Replica(1).insert(0, "through the bridge"), USER));

        publisher.publish(document, batch);

        List<LoggedBatch> records = await("the batch in the document's log", () -> {
            List<LoggedBatch> logged = log.after(document, -1);
            return logged.isEmpty() ? Optional.empty() : Optional.of(logged);
        });
        assertEquals(1, records.size(), records::toString);
        assertEquals(batch, records.get(0).deltas());
    }

    @Test
    void aMessageWithoutADocumentIdGoesToTheDeadLetterQueueAndNotToKafka() throws Exception {
        String probe = UUID.randomUUID().toString();
        // A well-formed record: only the document id is missing.
        byte[] record =
                DeltaBatchCodec.encode(List.of(new SubmittedDelta("dead-1", 1, new Replica(1).insert(0, probe), USER)));
        Map<TopicPartition, Long> kafkaBefore = endOffsets();

        String sentId = inTransaction(() -> {
            try (JMSContext context = connections.createContext()) {
                BytesMessage message = context.createBytesMessage();
                message.writeBytes(record);
                message.setStringProperty(PROBE, probe);
                context.createProducer().send(deltas, message);
                return message.getJMSMessageID();
            }
        });
        DeadLetter dead = await(
                "the dead letter",
                () -> inTransaction(() -> {
                    try (JMSContext context = connections.createContext();
                            JMSConsumer deadLetters =
                                    context.createConsumer(deadDeltas, PROBE + " = '" + probe + "'")) {
                        Message received = deadLetters.receive(200);
                        return received == null ? Optional.<DeadLetter>empty() : Optional.of(DeadLetter.of(received));
                    }
                }));

        assertEquals(sentId, dead.originalId());
        assertNotNull(dead.reason());
        assertArrayEquals(record, dead.body(), "the dead letter keeps the message's bytes");
        // The bridge commits the dead letter after anything it sent to Kafka: had it forwarded the
        // message, the record would be there by now.
        assertFalse(
                recordsSince(kafkaBefore).stream().anyMatch(logged -> Arrays.equals(record, logged.value())),
                "a message without a document id reached Kafka");
    }

    @Test
    void compactionMovesTheEventsBeforeTheSnapshotToS3AndTheyRebuildTheDocumentsText() throws Exception {
        UUID document = documents.create("compacted in the container", USER).id();
        Typist typist = new Typist(documents.newSite(USER));
        documents.join(document, typist, 0);
        for (String word : List.of("events ", "before ", "the ", "cut")) {
            typist.type(document, word);
        }
        long version = typist.awaitAcknowledged(4);
        documents.leave(document, typist);
        // Written when the document unloads, its last subscriber gone (FOLIO_DOCUMENT_IDLE_SECONDS).
        StoredState snapshot = await("the snapshot at version " + version, () -> store.load(document)
                .filter(stored -> stored.snapshotVersion() >= version));
        await(
                "the event log written through the snapshot",
                () -> progress.wroteThrough(document, snapshot.logOffset()) ? Optional.of(true) : Optional.empty());
        List<LoggedDelta> events = eventLog.replay(document, -1, 10_000);
        assertEquals(4, events.size(), events::toString);

        CompactionJob.Run run = compaction.compact(document);

        assertEquals(new CompactionJob.Run(1, 4, 1, 0), run);
        assertEquals(List.of(), eventLog.replay(document, -1, 10_000), "the archived events left DynamoDB");
        List<String> keys = archive.keys(document);
        assertEquals(1, keys.size(), keys::toString);
        ArchivedRange archived = archive.read(document, keys.get(0));
        assertEquals(snapshot.logOffset(), archived.toOffset());
        assertEquals(events, archived.events());
        String rebuilt = RebuiltDocument.of(
                        document, RebuiltDocument.EMPTY, BatchEvents.records(document, archived.events()))
                .text();
        assertEquals("events before the cut", rebuilt);
        assertEquals(rebuilt, documents.view(document).orElseThrow().text(), "the document opens as it was");
    }

    /** What the bridge adds to a message it dead-letters, and the message's bytes. */
    private record DeadLetter(String originalId, String reason, byte[] body) {

        static DeadLetter of(Message message) throws JMSException {
            return new DeadLetter(
                    message.getStringProperty(MessagingResources.ORIGINAL_MESSAGE_ID),
                    message.getStringProperty(MessagingResources.DEAD_REASON),
                    message.getBody(byte[].class));
        }
    }

    private interface Transactional<T> {
        T run() throws Exception;
    }

    /**
     * Runs {@code work} in a transaction of its own, as the application's beans send and receive: a
     * send through the XA connection factory outside one is never committed.
     */
    private <T> T inTransaction(Transactional<T> work) {
        try {
            transaction.begin();
            try {
                T result = work.run();
                transaction.commit();
                return result;
            } catch (Exception | AssertionError e) {
                transaction.rollback();
                throw e;
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The topic's partitions and their end offsets now. */
    private Map<TopicPartition, Long> endOffsets() {
        try (KafkaConsumer<String, byte[]> consumer = kafka.consumer("in-container test", Map.of())) {
            List<TopicPartition> partitions = consumer.partitionsFor(kafka.topic()).stream()
                    .map(partition -> new TopicPartition(partition.topic(), partition.partition()))
                    .toList();
            return consumer.endOffsets(partitions);
        }
    }

    /** Every record of the topic from {@code from} up to the end now. */
    private List<ConsumerRecord<String, byte[]>> recordsSince(Map<TopicPartition, Long> from) throws Exception {
        Map<TopicPartition, Long> to = endOffsets();
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = kafka.consumer("in-container test", Map.of())) {
            consumer.assign(from.keySet());
            from.forEach(consumer::seek);
            await("the topic read to its end", () -> {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                boolean atEnd =
                        to.entrySet().stream().allMatch(end -> consumer.position(end.getKey()) >= end.getValue());
                return atEnd ? Optional.of(true) : Optional.empty();
            });
        }
        return records;
    }

    /** Polls {@code probe} until it gives something, for at most {@link #PATIENCE}. */
    private static <T> T await(String what, Supplier<Optional<T>> probe) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<T> found = probe.get();
            if (found.isPresent()) {
                return found.get();
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no " + what + " within " + PATIENCE);
    }

    /** A client of the document manager, as a WebSocket session is: it types and counts its acks. */
    private final class Typist implements DeltaSubscriber {

        private final Replica replica;
        private final BlockingQueue<Long> acknowledged = new LinkedBlockingQueue<>();
        private volatile String refusal;
        private int sent;

        Typist(int site) {
            this.replica = new Replica(site);
        }

        void type(UUID document, String text) {
            documents.submit(document, this, "typed-" + (++sent), replica.insert(replica.length(), text));
        }

        /** Waits for {@code count} acks; returns the last version. */
        long awaitAcknowledged(int count) throws InterruptedException {
            long version = 0;
            for (int i = 0; i < count; i++) {
                Long next = acknowledged.poll(PATIENCE.toSeconds(), TimeUnit.SECONDS);
                assertNull(refusal, "a delta was refused");
                assertNotNull(next, "delta " + (i + 1) + " of " + count + " not acknowledged within " + PATIENCE);
                version = Math.max(version, next);
            }
            return version;
        }

        @Override
        public int site() {
            return replica.site();
        }

        @Override
        public String userId() {
            return USER;
        }

        @Override
        public void joined(long version, byte[] snapshot) {}

        @Override
        public void deliver(AcceptedDelta delta) {}

        @Override
        public void acknowledged(String opId, long version) {
            acknowledged.add(version);
        }

        @Override
        public void refused(String opId, String code, String message) {
            refusal = opId + ": " + code + " " + message;
            acknowledged.add(0L);
        }

        @Override
        public void closed(Closure reason) {}
    }
}
