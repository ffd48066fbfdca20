package dev.folio.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Artemis resource adapter on Payara Micro against a real broker: artemis.rar, then
 * artemis-resources.war (the connection factory and queue on it), then folio.war, on a node of its
 * own. The readiness check opens a context through the application's
 * connection factory, so it follows the broker (bin/local-artemis): up, down once it is stopped, up
 * once it is back.
 */
class ArtemisAdapterIT {

    private static final int HTTP_PORT = 18280;
    private static final int BROKER_PORT = 61626;

    private static final Path repo =
            Path.of(System.getProperty("folio.repo", "..")).toAbsolutePath();
    private static final Path work =
            Path.of(System.getProperty("folio.work", "target/system-tests")).resolve("artemis-adapter");

    private static MicroNode node;
    private static boolean brokerRunning;
    private static int brokerCommands;

    @BeforeAll
    static void start() throws IOException, InterruptedException {
        Files.createDirectories(work);
        FolioStack.startPostgres(repo, work);
        startBroker();
        node = new MicroNode(
                Path.of(System.getProperty("folio.payara", "target/payara")).resolve("payara-micro.jar"),
                List.of(
                        existing(repo.resolve("resources/target/artemis.rar")),
                        existing(repo.resolve("resources/target/artemis-resources.war"))),
                existing(Path.of(System.getProperty("folio.war", "../web/target/folio.war"))),
                work,
                HTTP_PORT,
                Map.of(
                        "FOLIO_DB_URL", FolioStack.jdbcUrl(),
                        "FOLIO_DB_USER", "folio",
                        "FOLIO_DB_PASSWORD", "folio",
                        "FOLIO_ARTEMIS_HOST", "127.0.0.1",
                        "FOLIO_ARTEMIS_PORT", Integer.toString(BROKER_PORT)));
        node.start();
    }

    @AfterAll
    static void stop() throws IOException, InterruptedException {
        if (node != null) {
            node.close();
        }
        stopBroker();
    }

    @Test
    void readinessFollowsTheBrokerThroughTheAdapter() throws Exception {
        JsonObject up = awaitMessaging(200);
        assertEquals("UP", up.getString("status"), up.toString());
        assertEquals("java:global/jms/folio", up.getJsonObject("data").getString("connectionFactory"), up.toString());

        stopBroker();
        JsonObject down = awaitMessaging(503);
        assertEquals("DOWN", down.getString("status"), down.toString());
        assertTrue(down.getJsonObject("data").containsKey("error"), down.toString());

        startBroker();
        JsonObject back = awaitMessaging(200);
        assertEquals("UP", back.getString("status"), back.toString());
    }

    /**
     * The messaging check of /health/ready once the endpoint answers {@code status} with it (Micro
     * may answer before the application's checks are registered).
     */
    private static JsonObject awaitMessaging(int status) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
        HttpResponse<String> response = ready();
        while (!(response.statusCode() == status && response.body().contains("\"messaging\""))
                && Instant.now().isBefore(deadline)) {
            Thread.sleep(500);
            response = ready();
        }
        assertEquals(status, response.statusCode(), response.body());
        return messagingCheck(response.body());
    }

    private static HttpResponse<String> ready() throws IOException, InterruptedException {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + HTTP_PORT + "/health/ready"))
                                .timeout(Duration.ofSeconds(60))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    private static JsonObject messagingCheck(String body) {
        return Json.createReader(new StringReader(body))
                .readObject()
                .getJsonArray("checks")
                .getValuesAs(JsonValue::asJsonObject)
                .stream()
                .filter(check -> check.getString("name").equals("messaging"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no messaging check in " + body));
    }

    private static Path existing(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException(file + " is missing: build it first (mvn install)");
        }
        return file.toAbsolutePath();
    }

    /** The local stack's broker (bin/local-artemis), on its own port and stack folder. */
    private static void startBroker() throws IOException, InterruptedException {
        localArtemis("start");
        brokerRunning = true;
    }

    private static void stopBroker() throws IOException, InterruptedException {
        if (brokerRunning) {
            brokerRunning = false;
            localArtemis("stop");
        }
    }

    private static void localArtemis(String action) throws IOException, InterruptedException {
        Path log = work.resolve("local-artemis-" + action + "-" + (++brokerCommands) + ".log");
        ProcessBuilder script = new ProcessBuilder(
                        repo.resolve("server-config/bin/local-artemis").toString(), action)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        script.environment()
                .putAll(Map.of(
                        "FOLIO_ARTEMIS_PORT",
                        Integer.toString(BROKER_PORT),
                        "FOLIO_STACK_DIR",
                        work.resolve("stack").toAbsolutePath().toString()));
        int exit = script.start().waitFor();
        if (exit != 0) {
            throw new IllegalStateException("bin/local-artemis " + action + " failed (" + exit + "); see " + log);
        }
    }
}
