package dev.folio.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.folio.kafka.DocumentPartitions;
import dev.folio.lseq.Identifier;
import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The log's history once Kafka no longer has it. A document whose snapshot is older than the first
 * record Kafka keeps opens from the event log (DynamoDB), the production read-back path; and only
 * when the event-log writer got that far: otherwise it refuses to open, rather than open without
 * acknowledged edits (a snapshot taken after that would make the loss permanent).
 *
 * <p>Its node works on a topic and event-log group of its own, and never snapshots by count or
 * time, so a {@code kill -9} leaves every edit to the log. Kafka dropping records is {@code
 * Admin.deleteRecords}, as retention would.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LogHistoryIT extends SystemTest {

    static final String TOPIC = "folio.deltas.history";
    static final int PARTITIONS = 2;
    static final String WRITER_GROUP = "folio-event-log.history";
    static final int PORT = 18182;
    static final int BROKER_PORT = 61636;
    static final Duration PATIENCE = Duration.ofSeconds(60);

    static MicroNode node;
    static Api onNode;
    static Admin kafka;
    static ArtemisBroker broker;

    @BeforeAll
    static void startNode() throws Exception {
        // A broker of its own too: the suite's nodes' bridges would forward this node's deltas to
        // the suite's topic.
        broker = ArtemisBroker.own(BROKER_PORT, "artemis-history");
        broker.start();
        PipelineServices services = stack.services.withArtemis(broker).withTopic(TOPIC, PARTITIONS);
        Map<String, String> environment = services.nodeEnvironment("it-history", FolioStack.jdbcUrl());
        environment.put("FOLIO_EVENTLOG_GROUP", WRITER_GROUP);
        environment.put("FOLIO_SNAPSHOT_EVERY_OPERATIONS", "1000000");
        environment.put("FOLIO_SNAPSHOT_EVERY_SECONDS", "1000000");
        environment.put("FOLIO_DOCUMENT_IDLE_SECONDS", "3600");
        node = MicroNode.folio(PORT, stack.work, environment);
        node.stopOnExit();
        node.start();
        onNode = new Api(node.http());
        kafka = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, services.kafka().bootstrap()));
    }

    @AfterAll
    static void stopNode() throws Exception {
        if (kafka != null) {
            kafka.close();
        }
        if (node != null) {
            node.stop();
        }
        if (broker != null) {
            broker.stop();
        }
    }

    @Test
    @Order(1)
    void aDocumentWhoseRecordsKafkaDroppedOpensFromTheEventLogWithEveryAcknowledgedEdit() throws Exception {
        UUID document = onNode.createDocument("history in DynamoDB");
        List<Identifier> typed;
        String text;
        try (EditorClient typist = EditorClient.join(node.ws(), document, "typist")) {
            typeUnique(typist, 0x4E00, 60);
            typist.awaitAcknowledged();
            assertEquals(60, typist.versionsAcknowledged(), "every insert got a version of its own");
            typed = typist.identifiers();
            assertTrue(typist.acknowledgedInsertIds().containsAll(typed));
            text = typist.text();
        }
        TopicPartition partition = partitionOf(document);
        awaitWriterCommitted(partition, endOf(partition));

        node.kill(); // no snapshot: the document's edits are only in the log
        dropRecordsBefore(partition, endOf(partition));
        node.start();

        try (EditorClient reader = EditorClient.join(node.ws(), document, "reader")) {
            assertEquals(typed, reader.identifiers(), "every acknowledged insert, by identity, in order");
            assertEquals(text, reader.text());
            assertEquals(60, reader.version(), "the acknowledged versions add up to the document's");
        }
        assertTrue(
                onNode.metric("folio_log_read_eventlog_total") >= 1,
                "the document was read back from the event log, not from Kafka");
    }

    @Test
    @Order(2)
    void aDocumentWhoseHistoryTheWriterNeverWroteRefusesToOpenRatherThanOpenShort() throws Exception {
        UUID document = onNode.createDocument("history the writer missed");
        TopicPartition partition = partitionOf(document);
        try (EditorClient typist = EditorClient.join(node.ws(), document, "typist")) {
            typeUnique(typist, 0x4E00, 20);
            typist.awaitAcknowledged();
            awaitWriterCommitted(partition, endOf(partition));

            DynamoDbLocal dynamo = DynamoDbLocal.shared();
            dynamo.stop();
            try {
                // Acknowledged: in Kafka, whatever DynamoDB does.
                typeUnique(typist, 0x4E00 + 20, 20);
                typist.awaitAcknowledged();
                node.kill();
                dropRecordsBefore(partition, endOf(partition));
            } finally {
                dynamo.start();
            }
        }
        // The writer can never write what Kafka dropped: this node reports itself not ready.
        node.start(false);

        IllegalStateException refused = assertThrows(
                IllegalStateException.class,
                () -> EditorClient.join(node.ws(), document, "reader"),
                "no opening short");
        assertTrue(refused.getMessage().contains("history-incomplete"), refused.getMessage());
        HttpResponse<String> view = onNode.send(onNode.request("documents/" + document));
        assertNotEquals(200, view.statusCode(), "the API does not show it short either: " + view.body());
        assertTrue(view.body().contains("history-incomplete"), view.body());
    }

    /**
     * A topic deleted and created again under its name starts its offsets over: a snapshot that
     * covers offset N of the old one would take every new record (offsets 0, 1, ...) for a replay
     * and skip it, acknowledging nothing. Snapshots name their log (topic id and partition count),
     * and a document whose log is gone refuses to open (issue 14, finding 4).
     */
    @Test
    @Order(3)
    void aDocumentWhoseSnapshotCountsAnotherTopicsOffsetsRefusesToOpen() throws Exception {
        UUID document = onNode.createDocument("before the topic was made anew");
        try (EditorClient typist = EditorClient.join(node.ws(), document, "typist")) {
            typeUnique(typist, 0x4E00, 10);
            typist.awaitAcknowledged();
        }
        node.stop(); // writes the snapshot: it covers offsets of the topic as it is now
        kafka.deleteTopics(List.of(TOPIC)).all().get();
        while (kafka.listTopics().names().get().contains(TOPIC)) {
            TimeUnit.MILLISECONDS.sleep(200);
        }
        stack.services.kafka().createTopic(TOPIC, PARTITIONS);
        node.start(false);

        IllegalStateException refused = assertThrows(
                IllegalStateException.class,
                () -> EditorClient.join(node.ws(), document, "reader"),
                "no opening against another log's offsets");
        assertTrue(refused.getMessage().contains("history-incomplete"), refused.getMessage());
        assertTrue(refused.getMessage().contains("the log is now"), refused.getMessage());
    }

    /**
     * A batch Kafka refuses (here: larger than the topic takes) is dead-lettered by the bridge and
     * never reaches the log. Its client used to wait for the ack forever; now it is told (issue 14,
     * finding 2), and the edits after it go on.
     */
    @Test
    @Order(4)
    void aBatchKafkaRefusesIsRefusedToItsClientInsteadOfLeftWaiting() throws Exception {
        ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, TOPIC);
        kafka.incrementalAlterConfigs(Map.of(
                        topic,
                        List.of(new AlterConfigOp(
                                new ConfigEntry("max.message.bytes", "4096"), AlterConfigOp.OpType.SET))))
                .all()
                .get();
        UUID document = onNode.createDocument("too large for this topic");
        try (EditorClient typist = EditorClient.join(node.ws(), document, "typist")) {
            String opId = typist.insert(0, "x".repeat(3_000)); // about 9 KB in a record
            typist.await(
                    () -> typist.errors().stream().anyMatch(error -> opId.equals(error.getString("opId", null))),
                    "the refusal of " + opId);
            JsonObject refusal = typist.errors().get(0);
            assertEquals("not-stored", refusal.getString("code"), refusal.toString());
            assertEquals(0, onNode.document(document).getJsonNumber("version").longValue(), "it changed nothing");

            try (EditorClient other = EditorClient.join(node.ws(), document, "other")) {
                other.insert(0, "ok");
                other.awaitAcknowledged();
                assertEquals("ok", onNode.document(document).getString("text"), "the document goes on");
            }
        } finally {
            kafka.incrementalAlterConfigs(Map.of(
                            topic,
                            List.of(new AlterConfigOp(
                                    new ConfigEntry("max.message.bytes", ""), AlterConfigOp.OpType.DELETE))))
                    .all()
                    .get();
        }
    }

    /** Types {@code count} distinct characters from {@code firstCodePoint} on, at the end. */
    private static void typeUnique(EditorClient client, int firstCodePoint, int count) {
        for (int i = 0; i < count; i++) {
            client.insert(client.text().length(), Character.toString(firstCodePoint + i));
        }
    }

    private static TopicPartition partitionOf(UUID document) {
        return new TopicPartition(TOPIC, DocumentPartitions.partitionOf(document, PARTITIONS));
    }

    private static long endOf(TopicPartition partition) throws Exception {
        return kafka.listOffsets(Map.of(partition, OffsetSpec.latest()))
                .partitionResult(partition)
                .get()
                .offset();
    }

    private static void dropRecordsBefore(TopicPartition partition, long offset) throws Exception {
        kafka.deleteRecords(Map.of(partition, RecordsToDelete.beforeOffset(offset)))
                .all()
                .get();
    }

    /** Waits until the event-log writer's committed position in {@code partition} is at {@code offset}. */
    private static void awaitWriterCommitted(TopicPartition partition, long offset) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (true) {
            OffsetAndMetadata committed = kafka.listConsumerGroupOffsets(WRITER_GROUP)
                    .partitionsToOffsetAndMetadata()
                    .get()
                    .get(partition);
            if (committed != null && committed.offset() >= offset) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(
                        "the event-log writer did not reach " + partition + "@" + offset + " (at " + committed + ")");
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
    }
}
