package dev.folio.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The admin console's view of the cluster (issue 16): every node announces itself over the
 * messaging every 5 s and says when it leaves, so any node lists all of them, configured nowhere.
 */
class ClusterIT extends SystemTest {

    @Test
    void anAdminSeesEveryNodeWithItsSessionsAndOneThatLeavesGoes() throws Exception {
        MicroNode second = stack.secondNode();
        Api admin = api.asUser("admin");
        UUID document = api.createDocument("Seen from the console");
        try (EditorClient editor = EditorClient.join(second.ws(), document, "on the second node")) {
            JsonObject seen = awaitNode(admin, "it-node-2", node -> node.getInt("sessions") >= 1);
            assertTrue(seen.getInt("openDocuments") >= 1, seen::toString);
            assertTrue(seen.getJsonNumber("heapUsedBytes").longValue() > 0, seen::toString);
            JsonObject first = awaitNode(admin, "it-node-1", node -> true);
            assertEquals(false, first.getBoolean("silent"), first::toString);
        }
        second.stop();
        // Gone when it said it was leaving; silent 15 s after its last word if that was lost.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (node(admin, "it-node-2")
                .filter(node -> !node.getBoolean("silent"))
                .isPresent()) {
            assertTrue(System.nanoTime() < deadline, "a node that stopped is still shown as live");
            Thread.sleep(250);
        }
        assertEquals(403, api.send(api.request("admin/nodes")).statusCode(), "the admin group only");
    }

    private static JsonObject awaitNode(Api admin, String name, Predicate<JsonObject> matches) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            Optional<JsonObject> node = node(admin, name).filter(matches);
            if (node.isPresent()) {
                return node.get();
            }
            assertTrue(System.nanoTime() < deadline, () -> name + " not listed as expected: " + nodes(admin));
            Thread.sleep(250);
        }
    }

    private static Optional<JsonObject> node(Api admin, String name) throws Exception {
        return nodes(admin).getValuesAs(JsonObject.class).stream()
                .filter(node -> node.getString("node").equals(name))
                .findFirst();
    }

    private static JsonArray nodes(Api admin) {
        try {
            return Json.createReader(new StringReader(
                            admin.send(admin.request("admin/nodes")).body()))
                    .readArray();
        } catch (Exception e) {
            throw new AssertionError("GET /api/admin/nodes failed", e);
        }
    }
}
