package dev.folio.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * History, past text and restore on the real stack (issue 15): two people type into a document, part
 * of which is compacted into S3; the history names who made each version, the text read back at
 * random versions is what their clients held then, and a restore reaches two open clients, which
 * converge on it. Bad requests are refused and change nothing.
 */
class HistoryIT extends SystemTest {

    static DynamoDbClient dynamo;
    static CompactionRuns compaction;
    static Api editor2;
    static Api viewer;

    @BeforeAll
    static void connect() throws Exception {
        dynamo = EventTableClient.open();
        compaction = new CompactionRuns(stack, api);
        editor2 = api.asUser("editor2").becomeKnown();
        viewer = api.asUser("viewer").becomeKnown();
    }

    @AfterAll
    static void close() {
        if (dynamo != null) {
            dynamo.close();
        }
        if (compaction != null) {
            compaction.close();
        }
    }

    /** Types {@code edits} edits one at a time, each acknowledged; records the text at each version. */
    private static void type(EditorClient client, int edits, long seed, Map<Long, String> seen) throws Exception {
        Random random = new Random(seed);
        for (int i = 0; i < edits; i++) {
            client.randomEdit(random);
            client.awaitAcknowledged();
            seen.put(client.version(), client.text());
        }
    }

    @Test
    void theHistoryNamesEachVersionsEditorAndThePastTextIsWhatTheClientsHeld() throws Exception {
        UUID document = api.createDocument("history");
        api.share(document, "editor2", "editor");
        Map<Long, String> seen = new HashMap<>();
        seen.put(0L, "");
        long ownersLast;
        try (EditorClient owner = EditorClient.join(stack.ws(), document, "owner")) {
            type(owner, 30, 1, seen);
            ownersLast = owner.version();
        }
        compaction.compact(document); // the owner's versions go to S3
        try (EditorClient other = EditorClient.join(
                stack.ws(), document, "editor2", TestTokens.shared().access("editor2"))) {
            type(other, 20, 2, seen);
        }
        long last = api.document(document).getJsonNumber("version").longValue();
        awaitHistory(document, last);

        JsonObject history = read(api, "documents/" + document + "/history?limit=500");
        assertEquals(last, history.getInt("total"));
        List<JsonObject> versions = history.getJsonArray("versions").getValuesAs(JsonObject.class);
        assertEquals(last, versions.get(0).getJsonNumber("version").longValue(), "newest first");
        String ownerId = TestTokens.personId(TestTokens.TESTER);
        String editor2Id = TestTokens.id("editor2");
        for (JsonObject version : versions) {
            long v = version.getJsonNumber("version").longValue();
            assertEquals(v <= ownersLast ? ownerId : editor2Id, version.getString("editorId"), "version " + v);
            assertEquals(seen.get(v).codePointCount(0, seen.get(v).length()), version.getInt("length"), "version " + v);
        }
        assertEquals(
                List.of(editor2Id),
                items(document).stream()
                        .map(item -> item.get("editor_id").s())
                        .distinct()
                        .toList(),
                "DynamoDB keeps the events after the archive, each naming who made it");
        Random random = new Random(3);
        for (int i = 0; i < 5; i++) {
            long v = random.nextInt((int) last + 1);
            JsonObject past = read(api, "documents/" + document + "/text?version=" + v);
            assertEquals(seen.get(v), past.getString("text"), "version " + v);
            assertEquals(v, past.getJsonNumber("version").longValue());
            if (v > 0) {
                JsonObject atItsOffset =
                        read(api, "documents/" + document + "/text?offset=" + past.getJsonNumber("offset"));
                assertEquals(seen.get(v), atItsOffset.getString("text"), "offset of version " + v);
            }
        }
        assertEquals(
                seen.get(last),
                read(api, "documents/" + document + "/text?at=" + Instant.now()).getString("text"));
        assertEquals(
                "",
                read(api, "documents/" + document + "/text?at=2020-01-01T00:00:00Z")
                        .getString("text"));
        api.share(document, "viewer", "viewer");
        assertEquals(last, read(viewer, "documents/" + document + "/history").getInt("total"), "viewers read it");
    }

    @Test
    void aRestoreTravelsAsAnOrdinaryEditAndTwoOpenClientsConvergeOnIt() throws Exception {
        UUID document = api.createDocument("restored");
        api.share(document, "editor2", "editor");
        Map<Long, String> seen = new HashMap<>();
        try (EditorClient owner = EditorClient.join(stack.ws(), document, "owner");
                EditorClient other = EditorClient.join(
                        stack.ws(), document, "editor2", TestTokens.shared().access("editor2"))) {
            type(owner, 25, 4, seen);
            long wanted = owner.version();
            type(other, 15, 5, seen);
            owner.awaitVersion(other.version());
            awaitHistory(document, other.version());

            HttpResponse<String> response =
                    editor2.post("documents/" + document + "/restore", "{\"version\":" + wanted + "}");

            assertEquals(200, response.statusCode(), response::body);
            JsonObject restored = Api.json(response.body());
            assertEquals(wanted, restored.getJsonNumber("restoredVersion").longValue());
            long version = restored.getJsonNumber("version").longValue();
            owner.awaitVersion(version);
            other.awaitVersion(version);
            assertEquals(seen.get(wanted), owner.text(), "the owner's client converges on the restored text");
            assertEquals(seen.get(wanted), other.text(), "so does the other client");
            assertEquals(seen.get(wanted), api.document(document).getString("text"));
            owner.append("!");
            owner.awaitAcknowledged();
            other.awaitVersion(owner.version());
            assertEquals(owner.text(), other.text(), "editing goes on from the restored text");
        }
        JsonObject newest = read(api, "documents/" + document + "/history?limit=2")
                .getJsonArray("versions")
                .getJsonObject(1);
        assertEquals(TestTokens.id("editor2"), newest.getString("editorId"), "the restore is editor2's edit");
    }

    @Test
    void badRequestsAreRefusedAndChangeNothing() throws Exception {
        UUID document = api.createDocument("history, bad input");
        api.share(document, "viewer", "viewer");
        try (EditorClient owner = EditorClient.join(stack.ws(), document, "owner")) {
            type(owner, 10, 6, new HashMap<>());
        }
        JsonObject before = api.document(document);
        awaitHistory(document, before.getJsonNumber("version").longValue());
        String text = "documents/" + document + "/text";
        String restore = "documents/" + document + "/restore";
        UUID unknown = UUID.randomUUID();

        assertProblem(404, "unknown-document", api.send(api.request("documents/" + unknown + "/history")));
        assertProblem(404, "unknown-document", api.send(api.request("documents/" + unknown + "/text?version=1")));
        assertProblem(404, "unknown-document", api.post("documents/" + unknown + "/restore", "{\"version\":1}"));
        assertProblem(404, "unknown-document", api.send(api.request("documents/not-an-id/history")));
        assertProblem(404, "unknown-version", api.send(api.request(text + "?version=11")));
        assertProblem(404, "unknown-version", api.post(restore, "{\"version\":1000}"));
        assertProblem(404, "unknown-offset", api.send(api.request(text + "?offset=" + Long.MAX_VALUE)));
        assertProblem(400, "in-the-future", api.send(api.request(text + "?at=2999-01-01T00:00:00Z")));
        assertProblem(400, "in-the-future", api.post(restore, "{\"at\":\"2999-01-01T00:00:00Z\"}"));
        assertProblem(400, "bad-request", api.send(api.request(text + "?at=yesterday")));
        assertProblem(400, "bad-request", api.send(api.request(text + "?at=2026-11-23T10:15:30")));
        assertProblem(400, "bad-request", api.send(api.request(text + "?version=-1")));
        assertProblem(400, "bad-request", api.send(api.request(text + "?version=1&offset=1")));
        assertProblem(400, "bad-request", api.send(api.request(text)));
        assertProblem(400, "bad-request", api.post(restore, "{\"version\":\"1\"}"));
        assertProblem(400, "bad-request", api.post(restore, "[1]"));
        assertProblem(400, "bad-request", api.send(api.request("documents/" + document + "/history?limit=0")));
        assertProblem(403, "forbidden", viewer.post(restore, "{\"version\":1}"));
        assertProblem(403, "forbidden", editor2.send(editor2.request(text + "?version=1")));
        assertEquals(401, api.as(null).send(api.request(text + "?version=1")).statusCode());
        assertEquals(401, api.as(null).post(restore, "{\"version\":1}").statusCode());
        assertEquals(401, api.as("not-a-token").post(restore, "{\"version\":1}").statusCode());

        JsonObject after = api.document(document);
        assertEquals(before.getString("text"), after.getString("text"), "nothing changed");
        assertEquals(before.getJsonNumber("version"), after.getJsonNumber("version"));
        assertEquals(
                before.getJsonNumber("version").intValue(),
                read(api, "documents/" + document + "/history").getInt("total"));
    }

    /** Waits until the history holds {@code version}: the event-log writer writes a moment after the ack. */
    private static void awaitHistory(UUID document, long version) throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (read(api, "documents/" + document + "/history?limit=1").getInt("total") < version) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the history of " + document + " did not reach version " + version);
            }
            Thread.sleep(100);
        }
    }

    private static JsonObject read(Api as, String path) throws Exception {
        HttpResponse<String> response = as.send(as.request(path));
        assertEquals(200, response.statusCode(), () -> path + ": " + response.body());
        return Api.json(response.body());
    }

    private static void assertProblem(int status, String code, HttpResponse<String> response) {
        assertEquals(status, response.statusCode(), response::body);
        JsonObject problem = Api.json(response.body());
        assertEquals(code, problem.getString("code"), response::body);
        assertTrue(!problem.getString("error").isBlank());
    }

    private static List<Map<String, AttributeValue>> items(UUID document) {
        return new ArrayList<>(dynamo.query(query -> query.tableName(DynamoDbLocal.TABLE)
                        .indexName(DynamoDbLocal.BY_DOCUMENT)
                        .keyConditionExpression("documentId = :document")
                        .expressionAttributeValues(Map.of(":document", AttributeValue.fromS(document.toString()))))
                .items());
    }
}
