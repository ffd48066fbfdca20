package dev.folio.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.folio.lseq.Replica;
import jakarta.json.JsonObject;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Bad frames and requests get a clear error and change nothing; the session stays usable. */
class BadInputIT extends SystemTest {

    @Test
    void badFramesGetTypedErrorsAndChangeNothing() throws Exception {
        UUID document = api.createDocument("bad frames");
        EditorClient client = EditorClient.join(stack.ws(), document, "client");
        client.insert(0, "keep me");
        client.awaitAcknowledged();
        JsonObject before = api.document(document);

        // An insert under someone else's site: the frame is well-formed, the identifier is forged.
        String forged = EditorClient.frame("forged", new Replica(client.site() + 1).insert(0, "x"));
        List<String> frames = List.of(
                "not json",
                "[1,2]",
                "{\"type\":\"teleport\"}",
                "{\"type\":\"delta\",\"ops\":[]}",
                "{\"type\":\"delta\",\"opId\":\"empty\",\"ops\":[]}",
                "{\"type\":\"delta\",\"opId\":\"bad-id\",\"ops\":[{\"type\":\"insert\",\"id\":[[0,1,1]],\"text\":\"z\"}]}",
                "{\"type\":\"join\"}",
                forged,
                "{\"type\":\"ping\",\"pad\":\"" + "x".repeat(1_100_000) + "\"}");
        List<String> expectedCodes = List.of(
                "malformed-frame",
                "malformed-frame",
                "unknown-type",
                "malformed-frame",
                "invalid-delta",
                "invalid-delta",
                "already-joined",
                "invalid-delta",
                "frame-too-large");
        for (String frame : frames) {
            client.sendRaw(frame);
        }
        client.await(() -> client.errors().size() >= frames.size(), "an error frame for each bad frame");

        List<String> codes =
                client.errors().stream().map(e -> e.getString("code")).toList();
        assertEquals(expectedCodes, codes);
        assertTrue(
                client.errors().get(7).getString("message").contains("site"),
                client.errors().get(7)::toString);
        assertEquals("forged", client.errors().get(7).getString("opId"));
        JsonObject after = api.document(document);
        assertEquals(before.getString("text"), after.getString("text"));
        assertEquals(before.getJsonNumber("version"), after.getJsonNumber("version"));

        client.insert(7, ", still editing");
        client.awaitAcknowledged();
        assertEquals("keep me, still editing", api.document(document).getString("text"));
        client.close();
    }

    @Test
    void aClientSendingFasterThanTheRateIsToldToSlowDownAndNothingAfterTheRefusedDeltaIsTaken() throws Exception {
        UUID document = api.createDocument("flood");
        String refused;
        try (RawSocket socket = RawSocket.open(stack.ws().resolve("/ws/documents/" + document))) {
            Replica replica = new Replica(socket.join());
            // The stack allows a burst of 600 deltas, refilled at 20 a second (FolioStack).
            try {
                for (int i = 0; i < 1000; i++) {
                    socket.send(EditorClient.frame("flood-" + i, replica.insert(i, "x")));
                }
            } catch (ExecutionException closedByTheServer) {
                // The server closed the socket while the flood was still going: expected.
            }
            JsonObject error = socket.next();
            while (!"error".equals(error.getString("type"))) {
                error = socket.next();
            }
            assertEquals("rate-limited", error.getString("code"));
            refused = error.getString("opId");
            assertEquals(4429, socket.awaitClose());
        }
        int taken = Integer.parseInt(refused.substring("flood-".length()));
        assertTrue(taken >= 600 && taken < 1000, "the burst is taken first: " + taken);
        // Every delta before the refused one is in the document, and none after it.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (api.document(document).getJsonNumber("version").longValue() < taken && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        Thread.sleep(500);
        assertEquals("x".repeat(taken), api.document(document).getString("text"));
    }

    @Test
    void aDeltaBeforeJoiningIsRefused() throws Exception {
        UUID document = api.createDocument("no join");
        try (RawSocket socket = RawSocket.open(stack.ws().resolve("/ws/documents/" + document))) {
            socket.send(EditorClient.frame("early", new Replica(5).insert(0, "x")));
            JsonObject error = socket.next();
            assertEquals("not-joined", error.getString("code"));
        }
        assertEquals(0, api.document(document).getJsonNumber("version").longValue());
    }

    @Test
    void aSilentSessionIsClosedAndAPingingOneIsNot() throws Exception {
        UUID document = api.createDocument("heartbeat");
        try (RawSocket silent = RawSocket.open(stack.ws().resolve("/ws/documents/" + document));
                RawSocket pinging = RawSocket.open(stack.ws().resolve("/ws/documents/" + document))) {
            silent.send("{\"type\":\"join\"}");
            pinging.send("{\"type\":\"join\"}");
            assertEquals("joined", silent.next().getString("type"));
            assertEquals("joined", pinging.next().getString("type"));
            // The stack closes sessions silent for 8 s (FolioStack); the sweep runs every 8 s.
            for (int i = 0; i < 10; i++) {
                pinging.send("{\"type\":\"ping\"}");
                assertEquals("pong", pinging.next().getString("type"));
                Thread.sleep(2_000); // the client's heartbeat period
            }
            assertEquals("idle", silent.next().getString("code"));
            assertEquals(4408, silent.awaitClose());
            pinging.send("{\"type\":\"ping\"}");
            assertEquals("pong", pinging.next().getString("type"), "the pinging session is still open");
        }
    }

    @Test
    void aSiteNeverGivenOutIsRefused() throws Exception {
        UUID document = api.createDocument("made-up site");
        try (RawSocket socket = RawSocket.open(stack.ws().resolve("/ws/documents/" + document))) {
            socket.send("{\"type\":\"join\",\"site\":2147483647}");
            assertEquals("unknown-site", socket.next().getString("code"));
            socket.send("{\"type\":\"join\"}");
            assertEquals("joined", socket.next().getString("type"), "the session is still usable");
        }
    }

    @Test
    void unknownDocumentsAreRefusedAndTheSocketClosed() throws Exception {
        for (String id : List.of(UUID.randomUUID().toString(), "not-a-uuid")) {
            try (RawSocket socket = RawSocket.open(stack.ws().resolve("/ws/documents/" + id))) {
                if (!id.startsWith("not")) {
                    socket.send("{\"type\":\"join\"}");
                }
                JsonObject error = socket.next();
                assertEquals("unknown-document", error.getString("code"));
                assertEquals(4404, socket.awaitClose());
            }
        }
    }

    @Test
    void restRefusesBadRequestsClearly() throws Exception {
        assertEquals(400, api.post("documents", "{not json").statusCode());
        assertEquals(400, api.post("documents", "[\"title\"]").statusCode());
        assertEquals(
                400,
                api.post("documents", "{\"title\":\"" + "t".repeat(201) + "\"}").statusCode());
        assertEquals(400, api.post("documents", "{\"title\":\"\"}").statusCode());
        assertEquals(400, api.post("documents", "{\"name\":\"no title\"}").statusCode());
        assertEquals(
                400,
                api.post("documents", "{\"title\":\"t\",\"authorId\":\"nope\"}").statusCode());
        assertEquals(
                400,
                api.post("documents", "{\"title\":\"t\",\"authorId\":\"" + UUID.randomUUID() + "\"}")
                        .statusCode(),
                "nobody creates a document in another's name");
        assertEquals(
                404, api.send(api.request("documents/" + UUID.randomUUID())).statusCode());
        assertEquals(404, api.send(api.request("documents/not-a-uuid")).statusCode());
        assertEquals(
                404,
                api.send(api.request("documents/" + UUID.randomUUID()).DELETE()).statusCode());
        assertEquals(400, api.send(api.request("documents?limit=100000")).statusCode());
    }

    @Test
    void documentsAreCreatedListedReadWithETagsAndDeleted() throws Exception {
        UUID document = api.createDocument("lifecycle");
        EditorClient client = EditorClient.join(stack.ws(), document, "client");
        client.insert(0, "hello");
        client.awaitAcknowledged();

        var read = api.send(api.request("documents/" + document));
        assertEquals("W/\"1\"", read.headers().firstValue("ETag").orElseThrow());
        assertEquals("hello", Api.json(read.body()).getString("text"));
        var notModified = api.send(api.request("documents/" + document).header("If-None-Match", "W/\"1\""));
        assertEquals(304, notModified.statusCode());
        assertTrue(api.send(api.request("documents?limit=500")).body().contains(document.toString()));

        assertEquals(
                204, api.send(api.request("documents/" + document).DELETE()).statusCode());
        client.await(() -> client.closeCode() == 4410, "closed as deleted");
        assertEquals("document-deleted", client.errors().get(0).getString("code"));
        assertEquals(404, api.send(api.request("documents/" + document)).statusCode());
        HttpRequest.Builder again = api.request("documents/" + document).DELETE();
        assertEquals(404, api.send(again).statusCode());
    }
}
