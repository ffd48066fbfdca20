package dev.folio.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.folio.document.json.JsonDeltaCodec;
import dev.folio.eventlog.DynamoDbEventLog;
import dev.folio.eventlog.LoggedDelta;
import dev.folio.lseq.Replica;
import dev.folio.lseq.SnapshotCodec;
import jakarta.jms.BytesMessage;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.Message;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The event pipeline with two Payara Micro nodes on one stack: a delta accepted on one node reaches
 * the clients of the other through Artemis and Kafka, every operation lands once in the DynamoDB
 * event log, and bad messages on the way are set aside without stopping anything.
 */
class PipelineIT extends SystemTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    static MicroNode second;
    static Api secondApi;

    @BeforeAll
    static void startSecondNode() throws Exception {
        second = stack.secondNode();
        secondApi = new Api(second.http());
    }

    @Test
    void aDeltaSentToOneNodeReachesAClientOnTheOtherWithItsOffset() throws Exception {
        UUID document = api.createDocument("across nodes");
        try (EditorClient onA = EditorClient.join(stack.ws(), document, "a");
                EditorClient onB = EditorClient.join(second.ws(), document, "b")) {
            onA.insert(0, "hello from A");
            onA.awaitAcknowledged();
            onB.await(() -> onB.text().equals("hello from A"), "the delta on node B");
            assertEquals(onA.version(), onB.version(), "the same version on both nodes");
            assertTrue(onB.lastOffset() >= 0, "the delta frame carries its Kafka offset");

            onB.insert(onB.text().length(), ", and back from B");
            onB.awaitAcknowledged();
            onA.await(() -> onA.text().equals("hello from A, and back from B"), "B's delta on node A");
        }
    }

    @Test
    void clientsOnBothNodesEditingConcurrentlyConverge() throws Exception {
        UUID document = api.createDocument("two nodes, four clients");
        List<EditorClient> clients = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            clients.add(EditorClient.join(i % 2 == 0 ? stack.ws() : second.ws(), document, "client" + i));
        }
        editConcurrently(clients, 60, 5000);
        long version = clients.stream().mapToLong(EditorClient::version).max().orElseThrow();
        for (EditorClient client : clients) {
            client.awaitVersion(version);
        }
        String text = api.document(document).getString("text");
        awaitTrue(() -> text(secondApi, document).equals(text), "node B's copy equals node A's");
        for (EditorClient client : clients) {
            assertEquals(text, client.text(), "every replica is equal");
            assertTrue(client.errors().isEmpty(), () -> "no error frames: " + client.errors());
            client.close();
        }
        assertEquals(
                api.document(document).getJsonNumber("version"),
                secondApi.document(document).getJsonNumber("version"),
                "the same version on both nodes");
    }

    @Test
    void redeliveredRecordsChangeNothingAndTheEventLogReplaysToTheSameText() throws Exception {
        UUID document = api.createDocument("redelivery");
        List<String> opIds = new ArrayList<>();
        try (EditorClient writer = EditorClient.join(stack.ws(), document, "writer")) {
            for (int i = 0; i < 20; i++) {
                opIds.add(writer.insert(i, Character.toString('a' + i)));
            }
            writer.delete(0, 5);
            writer.awaitAcknowledged();
        }
        JsonObject before = api.document(document);
        try (DynamoDbClient dynamo = dynamo()) {
            DynamoDbEventLog events = new DynamoDbEventLog(dynamo, DynamoDbLocal.TABLE);
            awaitTrue(() -> events.replay(document, -1, 1000).size() == 21, "21 operations in the event log");

            // Redeliver: every record of the document once more, as a bridge that crashed after
            // sending and before committing would.
            int redelivered = redeliverRecordsOf(document);
            assertTrue(redelivered >= 1);
            awaitEventLogWriterCaughtUp();

            // The event log keeps what the log holds: each operation at each offset it is at.
            List<LoggedDelta> all = events.replay(document, -1, 1000);
            assertEquals(2 * 21, all.size(), "every operation at its first offset and at its redelivered one");
            assertEquals(
                    21, all.stream().map(LoggedDelta::operationId).distinct().count(), "21 operations");
            // Replayed as a node replays the log, the repeats change nothing.
            Replica replayed = new Replica(0);
            for (LoggedDelta event : all) {
                replayed.apply(JsonDeltaCodec.fromJson(
                        Json.createReader(new StringReader(event.delta())).readObject()));
            }
            assertEquals(before.getString("text"), replayed.text(), "the event log replays to the live text");
        }
        // A client joining now reads what the nodes have after the replay: nothing changed.
        try (EditorClient reader = EditorClient.join(second.ws(), document, "reader")) {
            assertEquals(before.getString("text"), reader.text());
            assertEquals(before.getJsonNumber("version").longValue(), reader.version());
        }
        JsonObject after = api.document(document);
        assertEquals(before.getString("text"), after.getString("text"), "the replay is a no-op");
        assertEquals(before.getJsonNumber("version"), after.getJsonNumber("version"));
    }

    @Test
    void aDocumentRebuiltFromItsSnapshotAndTheEventLogEqualsTheLiveText() throws Exception {
        UUID document = api.createDocument("rebuilt");
        Replica rebuilt;
        long logOffset;
        String live;
        try (EditorClient writer = EditorClient.join(stack.ws(), document, "writer")) {
            Random random = new Random(77);
            // More than the stack's 200 operations between snapshots, so that a snapshot is written.
            for (int operations = 0; operations < 260; operations++) {
                writer.randomEdit(random);
            }
            writer.awaitAcknowledged();
            JsonObject content = storedContent(document);
            logOffset = content.getJsonNumber("logOffset").longValue();
            rebuilt = storedSnapshot(content);
            // Edits after that snapshot, which a rebuild must take from the event log.
            for (int operations = 0; operations < 40; operations++) {
                writer.randomEdit(random);
            }
            writer.awaitAcknowledged();
            live = writer.text();
        }
        assertEquals(live, api.document(document).getString("text"));
        try (DynamoDbClient dynamo = dynamo()) {
            DynamoDbEventLog events = new DynamoDbEventLog(dynamo, DynamoDbLocal.TABLE);
            awaitTrue(
                    () -> events.replay(document, -1, 10_000).stream()
                                    .map(LoggedDelta::operationId)
                                    .distinct()
                                    .count()
                            == 300,
                    "every operation in the event log");
            List<LoggedDelta> after = events.replay(document, logOffset, 10_000);
            for (LoggedDelta event : after) {
                rebuilt.apply(JsonDeltaCodec.fromJson(
                        Json.createReader(new StringReader(event.delta())).readObject()));
            }
            assertTrue(after.size() >= 40, "the rebuild replays the edits after the snapshot: " + after.size());
            assertEquals(live, rebuilt.text(), "snapshot + " + after.size() + " events after it = the live text");
        }
    }

    /**
     * Deletes are forgotten on both nodes (docs/lseq.md, "Forgetting deletes"): after a session of
     * typing and deleting, the stored snapshot remembers no delete. A client away through it all,
     * with edits of its own waiting (a delete of characters someone else deleted too, and new
     * text), comes back to the other node with a snapshot, and every copy converges.
     */
    @Test
    void deletesAreForgottenAndAClientAwayThroughThemComesBackAndConverges() throws Exception {
        UUID document = api.createDocument("forgetting deletes");
        try (EditorClient away = EditorClient.join(stack.ws(), document, "away");
                EditorClient onA = EditorClient.join(stack.ws(), document, "onA");
                EditorClient onB = EditorClient.join(second.ws(), document, "onB")) {
            away.insert(0, "keep me");
            away.awaitAcknowledged();
            onB.await(() -> onB.text().equals("keep me"), "the text on node B");
            away.disconnect();
            away.delete(0, 5);
            away.insert(away.text().length(), "!");

            onB.delete(0, 5);
            // Beyond what a rejoin catches up with as deltas: the returning client gets a snapshot.
            for (int i = 0; i < 175; i++) {
                onA.insert(0, "word ");
                onA.delete(0, 5);
                // A at the start, B at the end: each deletes the five characters it just typed,
                // whatever of the other's arrives meanwhile.
                onB.append("more ");
                onB.deleteLast(5);
            }
            onA.awaitAcknowledged();
            onB.awaitAcknowledged();
            awaitTrue(() -> storedVersion(document) >= 600, "a snapshot after the deletes");
            Replica stored = storedSnapshot(storedContent(document));
            assertEquals(0, stored.tombstoneCount(), "deletes the stored snapshot remembers");

            away.moveTo(second.ws());
            away.connect();
            away.awaitAcknowledged();
            assertTrue(away.snapshotReceived(), "the returning client joined with a snapshot");
            String text = api.document(document).getString("text");
            assertEquals("me!", text);
            for (EditorClient client : List.of(away, onA, onB)) {
                client.awaitVersion(away.version());
                assertEquals(text, client.text(), "every replica is equal");
                assertTrue(client.errors().isEmpty(), () -> "no error frames: " + client.errors());
            }
        }
    }

    /** The document's row's content: its snapshot and the log offset it covers. */
    private static JsonObject storedContent(UUID document) {
        return Json.createReader(new StringReader(column(document, "content"))).readObject();
    }

    /** The version of the document's stored snapshot. */
    private static long storedVersion(UUID document) {
        return Long.parseLong(column(document, "version"));
    }

    private static String column(UUID document, String column) {
        try (Connection db = stack.database();
                PreparedStatement query = db.prepareStatement("SELECT " + column + " FROM documents WHERE id = ?")) {
            query.setObject(1, document);
            try (ResultSet row = query.executeQuery()) {
                assertTrue(row.next());
                return row.getString(1);
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Replica storedSnapshot(JsonObject content) {
        return content.containsKey("snapshot")
                ? SnapshotCodec.decode(Base64.getDecoder().decode(content.getString("snapshot")), 0, 0)
                : new Replica(0);
    }

    @Test
    void aPoisonedMessageGoesToTheDeadLetterAddressAndThePipelineGoesOn() throws Exception {
        UUID document = api.createDocument("after the poison");
        String marker = UUID.randomUUID().toString();
        try (ActiveMQConnectionFactory factory =
                        new ActiveMQConnectionFactory(ArtemisBroker.shared().url());
                JMSContext jms = factory.createContext()) {
            BytesMessage poison = jms.createBytesMessage();
            poison.writeBytes("not a delta".getBytes(StandardCharsets.UTF_8));
            poison.setStringProperty("documentId", document.toString());
            poison.setStringProperty("test", marker);
            jms.createProducer().send(jms.createQueue(ArtemisBroker.DELTAS), poison);

            try (EditorClient writer = EditorClient.join(stack.ws(), document, "writer");
                    EditorClient reader = EditorClient.join(second.ws(), document, "reader")) {
                writer.insert(0, "still flowing");
                writer.awaitAcknowledged();
                reader.await(() -> reader.text().equals("still flowing"), "the next delta on node B");
            }

            try (JMSConsumer dead =
                    jms.createConsumer(jms.createQueue(ArtemisBroker.DEAD_DELTAS), "test = '" + marker + "'")) {
                Message found = dead.receive(PATIENCE.toMillis());
                assertNotNull(found, "the poisoned message is on " + ArtemisBroker.DEAD_DELTAS);
                assertEquals(document.toString(), found.getStringProperty("documentId"));
            }
        }
        assertEquals("still flowing", api.document(document).getString("text"));
    }

    private static String text(Api on, UUID document) {
        try {
            return on.document(document).getString("text");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sends every record of the document in Kafka again, unchanged, and returns how many. */
    private static int redeliverRecordsOf(UUID document) throws Exception {
        String key = document.toString();
        int partition = Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % KafkaBroker.PARTITIONS;
        TopicPartition topicPartition = new TopicPartition(KafkaBroker.TOPIC, partition);
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
                Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap()),
                new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.assign(List.of(topicPartition));
            consumer.seekToBeginning(List.of(topicPartition));
            long end = consumer.endOffsets(List.of(topicPartition)).get(topicPartition);
            while (consumer.position(topicPartition) < end) {
                consumer.poll(Duration.ofMillis(500)).forEach(record -> {
                    if (key.equals(record.key())) {
                        records.add(record);
                    }
                });
            }
        }
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap()),
                new StringSerializer(),
                new ByteArraySerializer())) {
            for (ConsumerRecord<String, byte[]> record : records) {
                producer.send(new ProducerRecord<>(KafkaBroker.TOPIC, record.key(), record.value()))
                        .get();
            }
        }
        return records.size();
    }

    /** Waits until the event log's consumer group has committed every partition's end. */
    private static void awaitEventLogWriterCaughtUp() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap()))) {
            awaitTrue(
                    () -> {
                        try {
                            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(
                                            "folio-event-log")
                                    .partitionsToOffsetAndMetadata()
                                    .get();
                            Map<TopicPartition, OffsetSpec> ends = new java.util.HashMap<>();
                            for (int p = 0; p < KafkaBroker.PARTITIONS; p++) {
                                ends.put(new TopicPartition(KafkaBroker.TOPIC, p), OffsetSpec.latest());
                            }
                            var latest = admin.listOffsets(ends).all().get();
                            return latest.entrySet().stream()
                                    .allMatch(end -> end.getValue().offset() == 0
                                            || (committed.get(end.getKey()) != null
                                                    && committed
                                                                    .get(end.getKey())
                                                                    .offset()
                                                            >= end.getValue().offset()));
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    },
                    "the event log writer has every record");
        }
    }

    private static String bootstrap() {
        return "127.0.0.1:" + KafkaBroker.PORT;
    }

    private static DynamoDbClient dynamo() throws Exception {
        return EventTableClient.open();
    }

    static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
    }
}
