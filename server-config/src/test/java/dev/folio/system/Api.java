package dev.folio.system;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The REST API as a client sees it, with the access token of one user: the demo user {@code editor}
 * unless {@link #as} says otherwise.
 */
final class Api {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private final URI base;
    private final String token;

    Api(URI base) {
        this(base.resolve("/api/"), TestTokens.shared().tester());
    }

    private Api(URI apiBase, String token) {
        this.base = apiBase;
        this.token = token;
    }

    /** The same API with another access token (null: none at all). */
    Api as(String otherToken) {
        return new Api(base, otherToken);
    }

    /** The same API as another demo user. */
    Api asUser(String demoUser) {
        return as(TestTokens.shared().access(demoUser));
    }

    HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        if (token != null) {
            request.setHeader("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> put(String path, String json) throws IOException, InterruptedException {
        return send(request(path)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)));
    }

    /**
     * Calls the API once as this Api's user: the server knows people from their first call, and
     * shares documents only with people it knows.
     */
    Api becomeKnown() throws IOException, InterruptedException {
        HttpResponse<String> me = send(request("auth/me"));
        if (me.statusCode() != 200) {
            throw new IllegalStateException("auth/me failed: " + me.statusCode() + " " + me.body());
        }
        return this;
    }

    /** Shares a document with a demo user as {@code role} ("editor" or "viewer"). */
    void share(UUID document, String demoUser, String role) throws IOException, InterruptedException {
        shareWithId(document, TestTokens.id(demoUser), role);
    }

    void shareWithId(UUID document, String userId, String role) throws IOException, InterruptedException {
        HttpResponse<String> shared =
                put("documents/" + document + "/members/" + userId, "{\"role\":\"" + role + "\"}");
        if (shared.statusCode() != 200) {
            throw new IllegalStateException("share failed: " + shared.statusCode() + " " + shared.body());
        }
    }

    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(base.resolve(path));
    }

    HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
        return send(request(path)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    UUID createDocument(String title) throws IOException, InterruptedException {
        HttpResponse<String> created = post(
                "documents",
                Json.createObjectBuilder().add("title", title).build().toString());
        if (created.statusCode() != 201) {
            throw new IllegalStateException("create failed: " + created.statusCode() + " " + created.body());
        }
        UUID id = UUID.fromString(json(created.body()).getString("id"));
        CREATED.add(new Created(this, id));
        return id;
    }

    /** The documents created through any Api since the last {@link #deleteCreated}, with their owners' Api. */
    private static final Queue<Created> CREATED = new ConcurrentLinkedQueue<>();

    private record Created(Api owner, UUID id) {}

    /**
     * Deletes, as their owners, the documents created since the last call, and returns how many
     * went: the suite's users stay under their document limit however many test classes run. A
     * document a test deleted itself, or whose owner can no longer delete it, is passed over.
     */
    static int deleteCreated() throws InterruptedException {
        int deleted = 0;
        for (Created created; (created = CREATED.poll()) != null; ) {
            try {
                HttpResponse<String> response = created.owner.send(
                        created.owner.request("documents/" + created.id).DELETE());
                deleted += response.statusCode() / 100 == 2 ? 1 : 0;
            } catch (IOException nodeAway) {
                // A test left the node down: its documents stay, as before.
            }
        }
        return deleted;
    }

    /** The document as the server holds it: {id, title, version, length, text, ...}. */
    JsonObject document(UUID id) throws IOException, InterruptedException {
        HttpResponse<String> response = send(request("documents/" + id));
        if (response.statusCode() != 200) {
            throw new IllegalStateException("read failed: " + response.statusCode() + " " + response.body());
        }
        return json(response.body());
    }

    /** A page or file the web module serves, by its path from the application's root. */
    HttpResponse<String> page(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(base.resolve("/" + path)));
    }

    /** A gauge or counter of {@code /metrics}, in the Prometheus text form. */
    double metric(String name) throws IOException, InterruptedException {
        String metrics = send(HttpRequest.newBuilder(base.resolve("/metrics"))).body();
        return metrics.lines()
                .filter(line -> line.startsWith(name + "{") || line.startsWith(name + " "))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no metric " + name));
    }

    /** A counter of {@code /metrics} with this tag, 0 while nothing counted it yet. */
    double metric(String name, String tag, String value) throws IOException, InterruptedException {
        String metrics = send(HttpRequest.newBuilder(base.resolve("/metrics"))).body();
        return metrics.lines()
                .filter(line -> line.startsWith(name + "{") && line.contains(tag + "=\"" + value + "\""))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .findFirst()
                .orElse(0);
    }

    /** The frames of one WebSocket message: itself, or the frames of a batch (docs/protocol.md). */
    static List<JsonObject> frames(String message) {
        JsonObject frame = json(message);
        if (!"batch".equals(frame.getString("type", null))) {
            return List.of(frame);
        }
        return frame.getJsonArray("frames").getValuesAs(JsonObject.class);
    }

    static JsonObject json(String text) {
        try (var reader = Json.createReader(new StringReader(text))) {
            return reader.readObject();
        }
    }
}
