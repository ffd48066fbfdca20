package dev.folio.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.folio.document.json.JsonDeltaCodec;
import dev.folio.lseq.Delta;
import dev.folio.lseq.Replica;
import dev.folio.lseq.SnapshotCodec;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The EAR as operators run it: deployed with asadmin to a Payara Server 6 (full) domain after the
 * Artemis resource adapter and its resources, against PostgreSQL on a cluster of its own
 * (bin/local-postgres: cluster folio-ear-test, port 5435, database folio_ear), driven from outside
 * over REST and the JDK's WebSocket client. Its documents live in another database than the Micro
 * nodes' ({@link FolioStack}), so it is another Folio installation and gets a pipeline of its own:
 * its own broker (port {@value #BROKER_PORT}: on the suite's, its bridge would compete for the Micro
 * nodes' deltas and send them to its topic) and topic ({@value #TOPIC}); Kafka and DynamoDB Local
 * are the suite's.
 */
class EarOnPayaraServerIT {

    static final int DB_PORT = 5435;
    static final String DB_NAME = "folio_ear";
    static final String DB_USER = "folio";
    static final String DB_PASSWORD = "folio";
    static final Duration TIMEOUT = Duration.ofSeconds(30);
    static final int BROKER_PORT = 61746;
    static final String TOPIC = "folio.deltas.ear";

    static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    static Path repo;
    static Path work;
    static String jdbcUrl;
    static boolean postgresStartedHere;
    static ArtemisBroker broker;
    static PayaraServer server;

    @BeforeAll
    static void startStack() throws Exception {
        repo = Path.of(property("folio.repo", "..")).toAbsolutePath();
        work = Path.of(property("folio.work", "target/system-tests")).toAbsolutePath();
        Files.createDirectories(work.resolve("logs"));
        // Loads the core's classes now, not after the server's minute of start-up: an install of
        // the ejb module meanwhile replaces the jar they come from (seen here: NoClassDefFoundError).
        SnapshotCodec.decode(SnapshotCodec.encode(new Replica(1)), 2, 0)
                .apply(JsonDeltaCodec.fromJson(JsonDeltaCodec.toJson(new Replica(3).insert(0, "x"))));
        broker = ArtemisBroker.own(BROKER_PORT, "artemis-ear");
        CompletableFuture<PipelineServices> services = InBackground.start(() -> {
            broker.start();
            return PipelineServices.shared().withArtemis(broker).withTopic(TOPIC, 3);
        });
        postgresStartedHere = !listening(DB_PORT);
        jdbcUrl = postgres("start");
        assertEquals("jdbc:postgresql://127.0.0.1:" + DB_PORT + "/" + DB_NAME, jdbcUrl);
        server = PayaraServer.start(
                Path.of(property("folio.payara", "target/payara")).resolve("payara-server.zip"),
                List.of(SuitePaths.artemisRar(), SuitePaths.artemisResources()),
                Path.of(property("folio.ear", null)),
                work,
                InBackground.await(services).nodeEnvironment("it-ear", jdbcUrl));
    }

    @AfterAll
    static void stopStack() throws IOException, InterruptedException {
        try {
            if (server != null) {
                server.close();
            }
        } finally {
            if (broker != null) {
                broker.stop();
            }
            if (postgresStartedHere) {
                postgres("stop");
            }
        }
    }

    @Test
    @Timeout(120)
    void anEditSentOverWebSocketIsStoredAndReachesLaterClients() throws Exception {
        UUID id = api().createDocument("EAR on Payara Server");
        String text = "hello from the EAR";

        try (Client writer = Client.connect(server.ws(), id)) {
            JsonObject joined = writer.join(-1);
            assertEquals(id.toString(), joined.getString("document"));
            assertEquals(0, joined.getJsonNumber("version").longValue());
            int site = joined.getInt("site");
            Replica replica = replicaFrom(joined, site);
            Delta delta = replica.insert(0, text);
            String opId = "ear-it-" + UUID.randomUUID();
            writer.send(Json.createObjectBuilder()
                    .add("type", "delta")
                    .add("opId", opId)
                    .add("ops", JsonDeltaCodec.toJson(delta).get("ops"))
                    .build());
            JsonObject ack = writer.await("ack");
            assertEquals(opId, ack.getString("opId"));
            assertEquals(1, ack.getJsonNumber("version").longValue());
        }

        JsonObject document = api().document(id);
        assertEquals(text, document.getString("text"));
        assertEquals(1, document.getJsonNumber("version").longValue());
        assertEquals(text.length(), document.getInt("length"));

        // A client with nothing gets a snapshot of version 1.
        try (Client fresh = Client.connect(server.ws(), id)) {
            JsonObject joined = fresh.join(-1);
            assertEquals(1, joined.getJsonNumber("version").longValue());
            assertTrue(joined.containsKey("snapshot"), "a client without a version gets a snapshot: " + joined);
            assertEquals(text, replicaFrom(joined, joined.getInt("site")).text());
        }

        // A client that has version 0 gets the delta instead.
        try (Client behind = Client.connect(server.ws(), id)) {
            JsonObject joined = behind.join(0);
            assertEquals(0, joined.getJsonNumber("version").longValue());
            assertFalse(joined.containsKey("snapshot"), "a client one delta behind catches up: " + joined);
            JsonObject delta = behind.await("delta");
            assertEquals(1, delta.getJsonNumber("version").longValue());
            Replica replica = new Replica(joined.getInt("site"));
            replica.apply(JsonDeltaCodec.fromJson(delta));
            assertEquals(text, replica.text());
        }
    }

    /**
     * The app's datasource reads FOLIO_DB_* with ${ENV=...}; its defaults name another database
     * (port 5433, folio) that may well be up. The rows being here shows the environment given to
     * asadmin start-domain reached the domain's JVM.
     */
    @Test
    @Timeout(60)
    void documentsAreStoredInTheDatabaseNamedByTheDomainsEnvironment() throws Exception {
        UUID id = api().createDocument("where am I stored");
        try (Connection db = DriverManager.getConnection(jdbcUrl, DB_USER, DB_PASSWORD);
                PreparedStatement query = db.prepareStatement("SELECT title FROM documents WHERE id = ?")) {
            query.setObject(1, id);
            try (ResultSet row = query.executeQuery()) {
                assertTrue(row.next(), "document " + id + " is not in " + jdbcUrl);
                assertEquals("where am I stored", row.getString(1));
            }
        } catch (SQLException e) {
            fail("could not read " + jdbcUrl, e);
        }
    }

    /**
     * Issue 19, item 2: the test stack listens on loopback only, Payara Server's domain too (its
     * IIOP listener was on every interface), but for the embedded OpenMQ broker's lazy listener,
     * which Payara binds to every interface whatever domain.xml says (PayaraServer#onLoopbackOnly).
     */
    @Test
    void theDomainListensOnLoopbackOnlyButForOpenMq() throws Exception {
        String domains = server.domains().toAbsolutePath().toString();
        List<InetSocketAddress> listening = ListeningSockets.of(command -> command.contains(domains));
        assertTrue(listening.size() >= 2, () -> "the domain's HTTP and admin listeners among " + listening);
        int openMq = server.portBase() + 76; // JMS_PROVIDER_PORT of create-domain --portbase
        for (InetSocketAddress socket : listening) {
            assertTrue(
                    socket.getAddress().isLoopbackAddress() || socket.getPort() == openMq,
                    () -> socket + " is reachable from other machines");
        }
    }

    /** The EAR's thin WAR carries the browser editor too: the pages, their scripts, the service worker. */
    @Test
    @Timeout(60)
    void theEditorPagesAreServed() throws Exception {
        UUID id = api().createDocument("opened in a browser");
        var editor = api().page("documents/" + id);
        assertEquals(200, editor.statusCode());
        assertTrue(editor.body().contains("editor-page.js"), editor.body());
        assertTrue(api().page("").body().contains("document-list.js"));
        for (String file : List.of("js/editor-page.js", "js/lseq.js", "css/folio.css", "service-worker.js")) {
            assertEquals(200, api().page(file).statusCode(), file);
        }
    }

    /** The admin console's charts library and its live stream work in the EAR's thin WAR too. */
    @Test
    @Timeout(60)
    void theConsolesStreamAndChartsAreServed() throws Exception {
        for (String file : List.of("vendor/uplot/uPlot.esm.js", "vendor/uplot/uPlot.min.css", "js/admin-live.js")) {
            assertEquals(200, api().page(file).statusCode(), file);
        }
        Api admin = api().asUser("admin");
        HttpResponse<String> ticket = admin.post("admin/live/tickets", "");
        assertEquals(200, ticket.statusCode(), ticket::body);
        HttpResponse<java.util.stream.Stream<String>> stream = HttpClient.newHttpClient()
                .send(
                        admin.request("admin/live?ticket="
                                        + Api.json(ticket.body()).getString("ticket"))
                                .header("Accept", "text/event-stream")
                                .build(),
                        HttpResponse.BodyHandlers.ofLines());
        try (var lines = stream.body()) {
            assertEquals(200, stream.statusCode());
            assertTrue(
                    lines.anyMatch(line -> line.startsWith("event:") && line.contains("history")), "the first event");
        }
    }

    static Api api() {
        return new Api(server.http());
    }

    /** The joined frame's snapshot as a replica editing as {@code site}, or an empty one. */
    static Replica replicaFrom(JsonObject joined, int site) {
        if (!joined.containsKey("snapshot")) {
            return new Replica(site);
        }
        return SnapshotCodec.decode(Base64.getDecoder().decode(joined.getString("snapshot")), site, 0);
    }

    /**
     * Runs bin/local-postgres with this test's cluster, port and database; returns the JDBC URL it
     * prints last. Its output goes to files: the server it starts may keep inherited descriptors.
     */
    static String postgres(String action) throws IOException, InterruptedException {
        Path out = work.resolve("logs/postgres-ear.out");
        ProcessBuilder script = new ProcessBuilder(
                        "bash", repo.resolve("server-config/bin/local-postgres").toString(), action)
                .redirectOutput(out.toFile())
                .redirectError(ProcessBuilder.Redirect.appendTo(
                        work.resolve("logs/postgres-ear.log").toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        script.environment()
                .putAll(Map.of(
                        "FOLIO_PG_CLUSTER", "folio-ear-test",
                        "FOLIO_DB_PORT", Integer.toString(DB_PORT),
                        "FOLIO_DB_NAME", DB_NAME,
                        "FOLIO_DB_USER", DB_USER,
                        "FOLIO_DB_PASSWORD", DB_PASSWORD));
        Process process = script.start();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly().waitFor();
            throw new IllegalStateException("bin/local-postgres " + action + " took more than 5 minutes");
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException("bin/local-postgres " + action + " failed (" + process.exitValue()
                    + "); see " + work.resolve("logs/postgres-ear.log"));
        }
        List<String> lines = Files.readAllLines(out);
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1).trim();
    }

    static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static String property(String name, String fallback) {
        String value = System.getProperty(name, fallback);
        if (value == null) {
            throw new IllegalStateException("system property " + name + " is not set (failsafe sets it: mvn verify)");
        }
        return value;
    }

    /**
     * One WebSocket session: frames arrive in a queue that {@link #await} polls with a deadline.
     * A close or a transport failure arrives as a frame of type "closed" or "failed".
     */
    static final class Client implements WebSocket.Listener, AutoCloseable {

        private final BlockingQueue<JsonObject> frames = new LinkedBlockingQueue<>();
        private final StringBuilder partial = new StringBuilder();
        private WebSocket socket;

        static Client connect(URI ws, UUID document) throws InterruptedException, ExecutionException, TimeoutException {
            Client client = new Client();
            client.socket = HTTP.newWebSocketBuilder()
                    .connectTimeout(TIMEOUT)
                    .subprotocols(
                            "folio.v1", "folio.bearer." + TestTokens.shared().tester())
                    .buildAsync(ws.resolve("/ws/documents/" + document), client)
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return client;
        }

        /** Joins; {@code version} -1 means "I have nothing". */
        JsonObject join(long version) throws Exception {
            var frame = Json.createObjectBuilder().add("type", "join");
            if (version >= 0) {
                frame.add("version", version);
            }
            send(frame.build());
            return await("joined");
        }

        void send(JsonObject frame) throws Exception {
            socket.sendText(frame.toString(), true).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }

        /** The next frame of {@code type}; fails on an error, a close, or the deadline. */
        JsonObject await(String type) throws InterruptedException {
            Instant deadline = Instant.now().plus(TIMEOUT);
            List<JsonObject> skipped = new ArrayList<>();
            while (true) {
                long left = Duration.between(Instant.now(), deadline).toMillis();
                JsonObject frame = left > 0 ? frames.poll(left, TimeUnit.MILLISECONDS) : null;
                if (frame == null) {
                    return fail("no \"" + type + "\" frame within " + TIMEOUT + "; other frames: " + skipped);
                }
                String got = frame.getString("type", "");
                if (got.equals(type)) {
                    return frame;
                }
                if (List.of("error", "closed", "failed").contains(got)) {
                    return fail("expected a \"" + type + "\" frame, got " + frame);
                }
                skipped.add(frame);
            }
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                frames.addAll(Api.frames(partial.toString()));
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            frames.add(Json.createObjectBuilder()
                    .add("type", "closed")
                    .add("code", statusCode)
                    .add("reason", reason)
                    .build());
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            frames.add(Json.createObjectBuilder()
                    .add("type", "failed")
                    .add("error", String.valueOf(error))
                    .build());
        }

        @Override
        public void close() {
            try {
                socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                // closing anyway
            } finally {
                socket.abort();
            }
        }
    }
}
