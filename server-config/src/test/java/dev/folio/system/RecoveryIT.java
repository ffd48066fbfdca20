package dev.folio.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Disaster recovery on the real stack (issue 15): the {@code documents} table wiped, every document
 * comes back from S3 and DynamoDB with the text and version it had, by its id; a deleted one stays
 * deleted. Prints how long the recovery took (the recovery time in docs/operations.md).
 */
class RecoveryIT extends SystemTest {

    static CompactionRuns compaction;
    static Api admin;

    @BeforeAll
    static void connect() {
        compaction = new CompactionRuns(stack, api);
        admin = api.asUser("admin");
    }

    @AfterAll
    static void close() {
        if (compaction != null) {
            compaction.close();
        }
    }

    @Test
    void withTheDocumentsTableWipedEveryDocumentComesBackWithItsTextAndVersion() throws Exception {
        Map<UUID, JsonObject> before = new LinkedHashMap<>();
        for (int i = 0; i < 4; i++) {
            UUID document = api.createDocument("recovered " + i);
            type(document, 40 + 20 * i, 20 + i);
            if (i % 2 == 0) {
                compaction.compact(document); // part in S3, the rest in DynamoDB
                type(document, 15, 30 + i);
            }
            compaction.awaitSnapshot(document);
            before.put(document, api.document(document));
        }
        UUID deleted = api.createDocument("deleted before the disaster");
        type(deleted, 10, 40);
        compaction.awaitSnapshot(deleted);
        assertEquals(204, api.send(api.request("documents/" + deleted).DELETE()).statusCode());

        try (Connection db = stack.database();
                Statement wipe = db.createStatement()) {
            wipe.executeUpdate("DELETE FROM documents"); // members go with them
        }
        for (UUID document : before.keySet()) {
            assertEquals(404, api.send(api.request("documents/" + document)).statusCode(), "gone");
        }
        awaitNothingOpen(); // what the node reads next comes from the recovered rows, not its memory

        long started = System.nanoTime();
        HttpResponse<String> response = admin.post("admin/recovery", "");
        long millis = (System.nanoTime() - started) / 1_000_000;

        assertEquals(200, response.statusCode(), response::body);
        JsonObject run = Api.json(response.body());
        System.out.printf(
                "recovery: %d documents found, %d recovered in %d ms%n",
                run.getInt("found"), run.getJsonArray("recovered").size(), millis);
        assertEquals(0, run.getJsonArray("failures").size(), run::toString);
        Set<String> recovered = run.getJsonArray("recovered").getValuesAs(JsonObject.class).stream()
                .map(document -> document.getString("id"))
                .collect(Collectors.toSet());
        for (Map.Entry<UUID, JsonObject> document : before.entrySet()) {
            assertTrue(recovered.contains(document.getKey().toString()), document.getKey() + " recovered");
            JsonObject now = api.document(document.getKey());
            JsonObject then = document.getValue();
            assertEquals(then.getString("text"), now.getString("text"), "the text of " + document.getKey());
            assertEquals(then.getJsonNumber("version"), now.getJsonNumber("version"), "its version");
            assertEquals(then.getString("title"), now.getString("title"), "its title");
            assertEquals("owner", now.getString("role"), "its owner is its owner again");
        }
        assertFalse(recovered.contains(deleted.toString()), "a deleted document stays deleted");
        assertEquals(404, api.send(api.request("documents/" + deleted)).statusCode());

        UUID first = before.keySet().iterator().next();
        try (EditorClient client = EditorClient.join(stack.ws(), first, "after the recovery")) {
            assertEquals(before.get(first).getString("text"), client.text(), "clients join it as it was");
            client.append("!");
            client.awaitAcknowledged();
        }
        JsonObject again = Api.json(admin.post("admin/recovery", "").body());
        List<String> twice = again.getJsonArray("recovered").getValuesAs(JsonObject.class).stream()
                .map(document -> document.getString("id"))
                .filter(id -> before.containsKey(UUID.fromString(id)))
                .toList();
        assertEquals(List.of(), twice, "a second run leaves them as they are");
    }

    @Test
    void onlyAdminsRecover() throws Exception {
        assertEquals(403, api.post("admin/recovery", "").statusCode());
        assertEquals(401, api.as(null).post("admin/recovery", "").statusCode());
    }

    private static void awaitNothingOpen() throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (api.metric("folio_documents_open") > 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("documents stay open on the node");
            }
            Thread.sleep(200);
        }
    }

    private static void type(UUID document, int edits, long seed) throws Exception {
        try (EditorClient typist = EditorClient.join(stack.ws(), document, "typist")) {
            editConcurrently(List.of(typist), edits, seed);
        }
    }
}
