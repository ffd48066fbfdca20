package dev.folio.system;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.folio.kafka.DocumentPartitions;
import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Compaction as the history and recovery tests need it: wait until a document's snapshot and the
 * event log hold every edit, then compact it through the admin API (as CompactionIT does).
 */
final class CompactionRuns implements AutoCloseable {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private final FolioStack stack;
    private final Api api;
    private final Api admin;
    private final Admin kafka;

    CompactionRuns(FolioStack stack, Api api) {
        this.stack = stack;
        this.api = api;
        this.admin = api.asUser("admin");
        this.kafka = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                stack.services.kafka().bootstrap()));
    }

    /** Waits for the snapshot and the event log, then compacts, expecting one new archive. */
    void compact(UUID document) throws Exception {
        awaitSnapshot(document);
        HttpResponse<String> response = admin.post("admin/compaction?document=" + document, "");
        assertEquals(200, response.statusCode(), response::body);
        JsonObject run = Api.json(response.body());
        assertEquals(1, run.getInt("archives"), run::toString);
    }

    /**
     * Waits until the stored snapshot has the document's version (it is written when the document
     * unloads, its last client gone) and the event-log writer is past its offset.
     */
    long awaitSnapshot(UUID document) throws Exception {
        long version = api.document(document).getJsonNumber("version").longValue();
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            try (Connection db = stack.database();
                    PreparedStatement query =
                            db.prepareStatement("SELECT version, content FROM documents WHERE id = ?")) {
                query.setObject(1, document);
                try (ResultSet row = query.executeQuery()) {
                    if (row.next() && row.getLong("version") >= version) {
                        long logOffset = Api.json(row.getString("content"))
                                .getJsonNumber("logOffset")
                                .longValue();
                        awaitWritten(document, logOffset);
                        return logOffset;
                    }
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no snapshot of " + document + " at version " + version + " within " + PATIENCE);
    }

    /** Waits until the event-log writer has written the document's partition past {@code offset}. */
    void awaitWritten(UUID document, long offset) throws Exception {
        TopicPartition partition =
                new TopicPartition(KafkaBroker.TOPIC, DocumentPartitions.partitionOf(document, KafkaBroker.PARTITIONS));
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (true) {
            OffsetAndMetadata committed = kafka.listConsumerGroupOffsets("folio-event-log")
                    .partitionsToOffsetAndMetadata()
                    .get()
                    .get(partition);
            if (committed != null && committed.offset() > offset) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the event-log writer did not pass " + partition + "@" + offset);
            }
            Thread.sleep(100);
        }
    }

    @Override
    public void close() {
        kafka.close();
    }
}
