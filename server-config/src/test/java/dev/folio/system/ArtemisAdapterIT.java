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
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Artemis resource adapter on Payara Micro against a real broker: artemis.rar, then
 * artemis-resources.war (the connection factory and queue on it), then folio.war, on a node of its
 * own with a broker of its own (this test stops it; the suite's nodes need theirs), and the suite's
 * Kafka, DynamoDB Local and PostgreSQL. The readiness check opens a context through the
 * application's connection factory, so it follows the broker (bin/local-artemis): up, down once it
 * is stopped, up once it is back.
 */
class ArtemisAdapterIT {

    private static final int HTTP_PORT = 18280;
    private static final int BROKER_PORT = 61626;

    private static MicroNode node;
    private static ArtemisBroker broker;

    @BeforeAll
    static void start() throws Exception {
        Path work = SuitePaths.work().resolve("artemis-adapter");
        Files.createDirectories(work);
        CompletableFuture<Void> postgres = InBackground.start(() -> {
            FolioStack.startPostgres(SuitePaths.repo(), work);
            return null;
        });
        broker = ArtemisBroker.own(BROKER_PORT, "artemis-adapter");
        broker.start();
        PipelineServices services = PipelineServices.shared().withArtemis(broker);
        InBackground.await(postgres);
        node = MicroNode.folio(HTTP_PORT, work, services.nodeEnvironment("it-artemis-adapter", FolioStack.jdbcUrl()));
        node.stopOnExit();
        node.start();
    }

    @AfterAll
    static void stop() throws IOException, InterruptedException {
        if (node != null) {
            node.close();
        }
        if (broker != null) {
            broker.stop();
        }
    }

    @Test
    void readinessFollowsTheBrokerThroughTheAdapter() throws Exception {
        JsonObject up = awaitMessaging(200);
        assertEquals("UP", up.getString("status"), up.toString());
        assertEquals("java:global/jms/folio", up.getJsonObject("data").getString("connectionFactory"), up.toString());

        broker.stop();
        JsonObject down = awaitMessaging(503);
        assertEquals("DOWN", down.getString("status"), down.toString());
        assertTrue(down.getJsonObject("data").containsKey("error"), down.toString());

        broker.start();
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
}
