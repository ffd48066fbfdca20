package dev.folio.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The admin console's API (issue 16) on the running stack: the pipeline, documents searched and
 * their sessions, the actions on a document and a user, each written to the audit log with who did
 * it; and every bad call refused with a problem, changing nothing and writing no entry.
 */
class AdminConsoleIT extends SystemTest {

    private static final String EDITOR2 = TestTokens.id("editor2");

    @Test
    void everyActionIsCarriedOutAndAudited() throws Exception {
        Api admin = api.asUser("admin");
        api.asUser("editor2").becomeKnown();
        String title = "Audited " + UUID.randomUUID();
        UUID document = api.createDocument(title);
        try (EditorClient editor = EditorClient.join(stack.ws(), document, "typist")) {
            JsonObject listed = await(
                    () -> documentsFound(admin, title).stream()
                            .filter(entry -> entry.getString("id").equals(document.toString()))
                            .filter(entry -> entry.getJsonObject("sessions").getInt("total") >= 1)
                            .findFirst()
                            .orElse(null),
                    "the document listed with its session");
            assertEquals(
                    1, listed.getJsonObject("sessions").getJsonObject("byNode").getInt("it-node-1"), listed::toString);

            JsonObject closed = ok(admin.post("admin/documents/" + document + "/close-sessions", ""));
            assertEquals(1, closed.getInt("sessionsClosedHere"), closed::toString);
            assertTrue(closed.getBoolean("otherNodesTold"), closed::toString);
            await(() -> editor.closeCode() == 4503 ? true : null, "the editor's session closed (4503)");
        }
        JsonObject reloaded = ok(admin.post("admin/documents/" + document + "/reload", ""));
        assertEquals("it-node-1", reloaded.getString("node"));

        JsonObject member =
                ok(admin.put("admin/documents/" + document + "/members/" + EDITOR2, "{\"role\":\"viewer\"}"));
        assertEquals("viewer", member.getString("role"));
        assertEquals(
                "viewer",
                members(admin, document).stream()
                        .filter(m -> m.getString("userId").equals(EDITOR2))
                        .findFirst()
                        .orElseThrow()
                        .getString("role"));
        assertEquals(
                204,
                admin.send(admin.request("admin/documents/" + document + "/members/" + EDITOR2)
                                .DELETE())
                        .statusCode());
        assertEquals(1, members(admin, document).size(), "only the owner is left");
        assertEquals(204, admin.post("admin/users/" + EDITOR2 + "/sign-out", "").statusCode());

        JsonArray newest = audit(admin, "?limit=5").getJsonArray("entries");
        assertEquals(
                List.of(
                        "user.sign-out",
                        "document.member.remove",
                        "document.member.set",
                        "document.reload",
                        "document.close-sessions"),
                newest.getValuesAs(JsonObject.class).stream()
                        .map(entry -> entry.getString("action"))
                        .toList(),
                newest::toString);
        JsonObject set = newest.getJsonObject(2);
        assertEquals("document:" + document, set.getString("target"));
        assertEquals(TestTokens.id("admin"), set.getString("actorId"));
        assertEquals("admin", set.getString("actorName"));
        assertTrue(set.getString("detail").contains(EDITOR2 + ": not a member → viewer"), set::toString);
        assertEquals("it-node-1", set.getString("node"));
        assertTrue(newest.getJsonObject(4).getString("detail").startsWith("1 sessions closed on it-node-1"));

        JsonObject second = audit(admin, "?offset=1&limit=1");
        assertEquals(
                "document.member.remove",
                second.getJsonArray("entries").getJsonObject(0).getString("action"));
        assertTrue(second.getInt("total") >= 5, second::toString);

        assertEquals(
                204,
                admin.send(admin.request("admin/documents/" + document).DELETE())
                        .statusCode());
        JsonObject deleted = audit(admin, "?limit=1").getJsonArray("entries").getJsonObject(0);
        assertEquals("document.delete", deleted.getString("action"));
        assertEquals(404, api.send(api.request("documents/" + document)).statusCode());
    }

    @Test
    void badCallsAreRefusedWithAProblemAndChangeNothing() throws Exception {
        Api admin = api.asUser("admin");
        api.asUser("editor2").becomeKnown();
        UUID document = api.createDocument("Left alone " + UUID.randomUUID());
        api.share(document, "editor2", "editor");
        long entries = audit(admin, "").getJsonNumber("total").longValue();
        String path = "admin/documents/" + document;
        String unknown = "admin/documents/" + UUID.randomUUID();

        // Not an administrator: 403 for every call, whatever it names.
        for (Api notAdmin : List.of(api, api.asUser("viewer"))) {
            refused(notAdmin.post(path + "/close-sessions", ""), 403, "forbidden");
            refused(notAdmin.post(path + "/reload", ""), 403, "forbidden");
            refused(notAdmin.put(path + "/members/" + EDITOR2, "{\"role\":\"viewer\"}"), 403, "forbidden");
            refused(notAdmin.send(notAdmin.request(path + "/members/" + EDITOR2).DELETE()), 403, "forbidden");
            refused(notAdmin.send(notAdmin.request(path + "/members")), 403, "forbidden");
            refused(notAdmin.send(notAdmin.request(path).DELETE()), 403, "forbidden");
            refused(notAdmin.post("admin/users/" + EDITOR2 + "/sign-out", ""), 403, "forbidden");
            refused(notAdmin.send(notAdmin.request("admin/audit")), 403, "forbidden");
            refused(notAdmin.send(notAdmin.request("admin/pipeline")), 403, "forbidden");
            refused(notAdmin.send(notAdmin.request(unknown + "/members")), 403, "forbidden");
        }
        refused(api.as(null).send(api.request("admin/audit")), 401, "unauthenticated");

        // Unknown documents, members and users: 404.
        for (String id : List.of(unknown, "admin/documents/not-a-document")) {
            refused(admin.post(id + "/close-sessions", ""), 404, "unknown-document");
            refused(admin.post(id + "/reload", ""), 404, "unknown-document");
            refused(admin.put(id + "/members/" + EDITOR2, "{\"role\":\"viewer\"}"), 404, "unknown-document");
            refused(admin.send(admin.request(id + "/members")), 404, "unknown-document");
            refused(admin.send(admin.request(id).DELETE()), 404, "unknown-document");
        }
        refused(admin.put(path + "/members/nobody-" + UUID.randomUUID(), "{\"role\":\"viewer\"}"), 404, "unknown-user");
        refused(
                admin.send(admin.request(path + "/members/" + TestTokens.id("viewer"))
                        .DELETE()),
                404,
                "unknown-member");

        // Malformed: 400; the owner's role: 409.
        for (String body : List.of("", "{", "[]", "{\"role\":\"owner\"}", "{\"role\":7}", "{\"role\":\"boss\"}")) {
            refused(admin.put(path + "/members/" + EDITOR2, body), 400, "bad-request");
        }
        String tooLong = "u".repeat(256);
        refused(admin.put(path + "/members/" + tooLong, "{\"role\":\"viewer\"}"), 400, "bad-request");
        refused(admin.post("admin/users/" + tooLong + "/sign-out", ""), 400, "bad-request");
        // A NUL in the path is refused by the container itself, with no body.
        assertEquals(
                400, admin.put(path + "/members/a%00b", "{\"role\":\"viewer\"}").statusCode());
        String owner = members(admin, document).get(0).getString("userId");
        refused(admin.put(path + "/members/" + owner, "{\"role\":\"viewer\"}"), 409, "owner");
        refused(admin.send(admin.request(path + "/members/" + owner).DELETE()), 409, "owner");
        for (String page : List.of("?limit=0", "?limit=501", "?offset=-1", "?limit=x", "?offset=1.5")) {
            refused(admin.send(admin.request("admin/audit" + page)), 400, "bad-request");
        }
        refused(admin.send(admin.request("admin/documents?q=a%07b")), 400, "bad-request");
        refused(admin.send(admin.request("admin/documents?q=" + "x".repeat(201))), 400, "bad-request");

        // Nothing changed: the members, the document, the audit log.
        assertEquals(
                List.of("owner", "editor"),
                members(admin, document).stream().map(m -> m.getString("role")).toList());
        assertEquals(200, api.send(api.request("documents/" + document)).statusCode());
        assertEquals(entries, audit(admin, "").getJsonNumber("total").longValue(), "no entry for a refused call");
    }

    @Test
    void documentsAreFoundByTitleOrOwnerAndWildcardsAreLiteral() throws Exception {
        Api admin = api.asUser("admin");
        String tag = UUID.randomUUID().toString().substring(0, 8);
        UUID percent = api.createDocument("100% sure " + tag);
        UUID other = api.asUser("editor2").createDocument("Plain " + tag);

        assertEquals(List.of(other.toString(), percent.toString()), ids(documentsFound(admin, tag)));
        assertEquals(List.of(percent.toString()), ids(documentsFound(admin, "0% sure " + tag)));
        assertEquals(List.of(), ids(documentsFound(admin, "100_ sure " + tag)), "_ is no wildcard");
        assertTrue(ids(documentsFound(admin, "editor2")).contains(other.toString()), "by the owner's name");
        assertFalse(ids(documentsFound(admin, "editor2")).contains(percent.toString()));
        assertTrue(ids(documentsFound(admin, EDITOR2)).contains(other.toString()), "by the owner's id");
    }

    @Test
    void thePipelinePanelHasTheWritersTheFeedsAndTheRefusals() throws Exception {
        Api admin = api.asUser("admin");
        JsonObject pipeline = ok(admin.send(admin.request("admin/pipeline")));
        assertEquals("it-node-1", pipeline.getString("node"));
        assertTrue(pipeline.getJsonObject("feed").containsKey("lag"), pipeline::toString);
        assertTrue(
                List.of("writing", "waiting", "stopped")
                        .contains(pipeline.getJsonObject("eventLog").getString("state")),
                pipeline::toString);
        for (String key : List.of("bridge", "refusals", "authRefusals", "compaction")) {
            assertTrue(pipeline.containsKey(key), () -> key + " missing: " + pipeline);
        }
        assertTrue(
                pipeline.getJsonArray("nodes").getValuesAs(JsonObject.class).stream()
                        .anyMatch(node -> node.getString("node").equals("it-node-1")
                                && node.getJsonNumber("eventLogLag").longValue() >= 0),
                pipeline::toString);
    }

    @Test
    void theLiveStreamTicksForAnAdminOnly() throws Exception {
        Api admin = api.asUser("admin");
        UUID document = api.createDocument("Watched " + UUID.randomUUID());
        String ticket = ok(admin.post("admin/live/tickets", "")).getString("ticket");
        HttpResponse<Stream<String>> stream = HttpClient.newHttpClient()
                .sendAsync(
                        admin.request("admin/live?ticket=" + ticket)
                                .header("Accept", "text/event-stream")
                                .build(),
                        HttpResponse.BodyHandlers.ofLines())
                .get(20, TimeUnit.SECONDS);
        try (EditorClient editor = EditorClient.join(stack.ws(), document, "watched")) {
            assertEquals(200, stream.statusCode());
            assertTrue(stream.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
            Iterator<String> lines = stream.body().iterator();
            JsonObject history = nextEvent(lines, "history");
            assertEquals(
                    history.getJsonArray("at").size(),
                    history.getJsonArray("deltasPerSecond").size(),
                    history::toString);
            editor.append("pushed");
            editor.awaitAcknowledged();
            // Node statuses come every 5 s: a few ticks until one has the editor's session.
            JsonObject tick = null;
            for (int i = 0;
                    i < 15 && (tick == null || !tick.getJsonObject("sessions").containsKey(document.toString()));
                    i++) {
                tick = nextEvent(lines, "tick");
            }
            JsonObject last = tick;
            assertTrue(
                    last.getJsonArray("nodes").getValuesAs(JsonObject.class).stream()
                            .anyMatch(node -> node.getString("node").equals("it-node-1")),
                    last::toString);
            assertEquals("it-node-1", last.getJsonObject("pipeline").getString("node"));
            assertEquals(
                    1,
                    last.getJsonObject("sessions")
                            .getJsonObject(document.toString())
                            .getInt("total"),
                    last::toString);
            JsonObject sample = last.getJsonObject("sample");
            assertTrue(sample.getJsonNumber("deltasPerSecond").doubleValue() >= 0, sample::toString);
            for (String stage : List.of("publishMillis", "brokerMillis", "kafkaMillis")) {
                assertTrue(sample.containsKey(stage), () -> stage + " missing: " + sample);
            }
        } finally {
            stream.body().close();
        }

        // The ticket was good once; an admin script may use its token instead.
        refused(api.as(null).send(api.request("admin/live?ticket=" + ticket)), 401, "ticket-refused");
        refused(api.as(null).send(api.request("admin/live")), 401, "ticket-refused");
        // Not an administrator: no ticket, and no stream with a token either.
        for (Api notAdmin : List.of(api, api.asUser("viewer"))) {
            refused(notAdmin.post("admin/live/tickets", ""), 403, "forbidden");
            HttpResponse<String> refused =
                    notAdmin.send(notAdmin.request("admin/live").header("Accept", "text/event-stream"));
            assertEquals(403, refused.statusCode(), refused::body);
            assertFalse(refused.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
        }
    }

    @Test
    void aSnapshotTakenNowIsAtTheLiveVersionAndAudited() throws Exception {
        Api admin = api.asUser("admin");
        String title = "Snapshot now " + UUID.randomUUID();
        UUID document = api.createDocument(title);
        long live;
        try (EditorClient editor = EditorClient.join(stack.ws(), document, "snapper")) {
            for (int i = 0; i < 5; i++) {
                editor.append("line " + i + "\n");
            }
            editor.awaitAcknowledged();
            live = editor.version();
            JsonObject taken = ok(admin.post("admin/documents/" + document + "/snapshot", ""));
            assertEquals(live, taken.getJsonNumber("version").longValue(), taken::toString);
            assertTrue(
                    taken.getBoolean("written")
                            || taken.getJsonNumber("previousVersion").longValue() == live,
                    taken::toString);
        }
        assertTrue(live >= 5, "five edits, five versions at least: " + live);
        assertEquals(live, api.document(document).getJsonNumber("version").longValue());
        JsonObject listed = documentsFound(admin, title).get(0);
        assertEquals(live, listed.getJsonNumber("version").longValue(), "the stored snapshot's version");

        JsonObject entry = audit(admin, "?limit=1").getJsonArray("entries").getJsonObject(0);
        assertEquals("document.snapshot", entry.getString("action"));
        assertEquals("document:" + document, entry.getString("target"));
        assertEquals(TestTokens.id("admin"), entry.getString("actorId"));
        assertTrue(entry.getString("detail").contains("version " + live), entry::toString);

        // Again: nothing newer to write, and said so.
        JsonObject again = ok(admin.post("admin/documents/" + document + "/snapshot", ""));
        assertFalse(again.getBoolean("written"), again::toString);
        assertEquals(live, again.getJsonNumber("version").longValue());

        long entries = audit(admin, "").getJsonNumber("total").longValue();
        refused(api.post("admin/documents/" + document + "/snapshot", ""), 403, "forbidden");
        refused(admin.post("admin/documents/" + UUID.randomUUID() + "/snapshot", ""), 404, "unknown-document");
        refused(admin.post("admin/documents/not-a-document/snapshot", ""), 404, "unknown-document");
        assertEquals(entries, audit(admin, "").getJsonNumber("total").longValue(), "no entry for a refused call");
    }

    /** The data of the next event of that name on a server-sent event stream (others are skipped). */
    private static JsonObject nextEvent(Iterator<String> lines, String name) throws Exception {
        return CompletableFuture.supplyAsync(() -> {
                    String event = null;
                    List<String> data = new ArrayList<>();
                    while (lines.hasNext()) {
                        String line = lines.next();
                        if (line.isEmpty()) {
                            if (name.equals(event)) {
                                return Api.json(String.join("\n", data));
                            }
                            event = null;
                            data.clear();
                        } else if (line.startsWith("event:")) {
                            event = line.substring(6).strip();
                        } else if (line.startsWith("data:")) {
                            data.add(line.substring(5).strip());
                        }
                    }
                    throw new IllegalStateException("the stream ended before a " + name + " event");
                })
                .get(20, TimeUnit.SECONDS);
    }

    private static List<JsonObject> documentsFound(Api admin, String query) throws Exception {
        HttpResponse<String> response =
                admin.send(admin.request("admin/documents?q=" + URLEncoder.encode(query, StandardCharsets.UTF_8)));
        assertEquals(200, response.statusCode(), response::body);
        return array(response.body()).getValuesAs(JsonObject.class);
    }

    private static List<String> ids(List<JsonObject> documents) {
        return documents.stream().map(document -> document.getString("id")).toList();
    }

    private static List<JsonObject> members(Api admin, UUID document) throws Exception {
        HttpResponse<String> response = admin.send(admin.request("admin/documents/" + document + "/members"));
        assertEquals(200, response.statusCode(), response::body);
        return array(response.body()).getValuesAs(JsonObject.class);
    }

    private static JsonObject audit(Api admin, String query) throws Exception {
        return ok(admin.send(admin.request("admin/audit" + query)));
    }

    private static JsonObject ok(HttpResponse<String> response) {
        assertEquals(200, response.statusCode(), response::body);
        return Api.json(response.body());
    }

    private static void refused(HttpResponse<String> response, int status, String code) {
        String what = response.request().method() + " " + response.request().uri() + ": " + response.body();
        assertEquals(status, response.statusCode(), what);
        assertEquals(code, Api.json(response.body()).getString("code"), what);
    }

    private static JsonArray array(String text) {
        try (var reader = Json.createReader(new StringReader(text))) {
            return reader.readArray();
        }
    }

    private interface Probe<T> {
        T get() throws Exception;
    }

    /** Polls until the probe gives something (node statuses come every 5 s). */
    private static <T> T await(Probe<T> probe, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            T value = probe.get();
            if (value != null) {
                return value;
            }
            assertTrue(System.nanoTime() < deadline, "waited for " + what);
            Thread.sleep(250);
        }
    }
}
