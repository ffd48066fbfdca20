package dev.folio.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.LongPredicate;
import org.junit.jupiter.api.Test;

/** An acknowledged edit survives a crash; a clean restart serves documents from their snapshots. */
class DurabilityIT extends SystemTest {

    @Test
    void killMinusNineRightAfterABurstOfAcksLosesNoAcknowledgedEdit() throws Exception {
        UUID document = api.createDocument("crash");
        List<EditorClient> clients = new ArrayList<>();
        List<String> alphabets = List.of("abcdefgh", "ijklmnop", "qrstuvwx");
        for (int i = 0; i < alphabets.size(); i++) {
            clients.add(EditorClient.join(stack.ws(), document, "typist" + i));
        }
        ExecutorService typing = Executors.newFixedThreadPool(clients.size());
        List<Future<?>> typists = new ArrayList<>();
        for (int i = 0; i < clients.size(); i++) {
            EditorClient client = clients.get(i);
            String alphabet = alphabets.get(i);
            typists.add(typing.submit(() -> {
                for (int n = 0; n < 400; n++) {
                    client.insert(0, String.valueOf(alphabet.charAt(n % alphabet.length())));
                }
                return null;
            }));
        }
        for (EditorClient client : clients) {
            client.await(() -> client.acknowledgedOps().size() >= 100, "100 acknowledgements");
        }
        stack.node.kill();
        for (Future<?> typist : typists) {
            typist.get();
        }
        typing.shutdown();

        stack.node.start();
        String recovered = api.document(document).getString("text");
        for (EditorClient client : clients) {
            String acknowledged = acknowledgedText(client);
            assertTrue(
                    isSubsequence(acknowledged, recovered),
                    "every acknowledged insert of " + client.site() + " survived the crash");
        }

        // The clients rejoin, resend what was not acknowledged, and everyone converges.
        for (EditorClient client : clients) {
            client.connect();
        }
        for (EditorClient client : clients) {
            client.awaitAcknowledged();
        }
        long version = api.document(document).getJsonNumber("version").longValue();
        String text = api.document(document).getString("text");
        for (EditorClient client : clients) {
            client.awaitVersion(version);
            assertEquals(text, client.text());
            client.close();
        }
        assertEquals(3 * 400, text.length(), "nothing lost, nothing twice");
    }

    @Test
    void aCleanRestartServesTheDocumentFromItsSnapshot() throws Exception {
        UUID document = api.createDocument("restart");
        EditorClient client = EditorClient.join(stack.ws(), document, "writer");
        for (int i = 0; i < 30; i++) {
            client.insert(client.text().length(), "line " + i + "\n");
        }
        client.delete(0, 7);
        client.awaitAcknowledged();
        client.close();
        var before = api.document(document);

        stack.node.stop();
        try (Connection db = stack.database()) {
            assertEquals(
                    before.getJsonNumber("version").longValue(),
                    storedVersion(db, document),
                    "the shutdown snapshot covers every delta");
        }
        stack.node.start();

        var after = api.document(document);
        assertEquals(before.getString("text"), after.getString("text"));
        assertEquals(before.getJsonNumber("version"), after.getJsonNumber("version"));
    }

    @Test
    void snapshotsAreWrittenWhileEditingEveryNOperations() throws Exception {
        UUID document = api.createDocument("cadence");
        EditorClient client = EditorClient.join(stack.ws(), document, "writer");
        for (int i = 0; i < 250; i++) {
            client.insert(i, "x");
        }
        client.awaitAcknowledged();
        client.close();

        // The stack snapshots every 200 operations, right after the record that passes 200, and
        // every 5 seconds: first a snapshot between 200 and 250, then one at 250.
        try (Connection db = stack.database()) {
            long first = awaitStored(db, document, snapshot -> snapshot >= 200);
            assertTrue(first >= 200 && first <= 250, "a snapshot once 200 operations are in: " + first);
            assertEquals(250, awaitStored(db, document, snapshot -> snapshot == 250));
        }
    }

    @Test
    void anIdleDocumentIsWrittenBackUnloadedAndLoadedAgainOnUse() throws Exception {
        UUID document = api.createDocument("idle");
        EditorClient client = EditorClient.join(stack.ws(), document, "writer");
        client.insert(0, "left alone");
        client.awaitAcknowledged();
        assertTrue(api.metric("folio_documents_open") >= 1);
        client.close();

        // Idle after 3 s without a client (see FolioStack): every document of this test is unloaded.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (api.metric("folio_documents_open") > 0 && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertEquals(0, api.metric("folio_documents_open"));
        try (Connection db = stack.database()) {
            assertEquals(1, storedVersion(db, document), "written back before it was unloaded");
        }

        EditorClient again = EditorClient.join(stack.ws(), document, "reader");
        assertEquals("left alone", again.text());
        assertEquals(1, again.version());
        again.close();
    }

    /** Waits until the stored snapshot's version passes {@code until}, or 30 s; returns it. */
    private static long awaitStored(Connection db, UUID document, LongPredicate until) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            long stored = storedVersion(db, document);
            if (until.test(stored) || System.nanoTime() > deadline) {
                return stored;
            }
            Thread.sleep(100);
        }
    }

    /** The text the client's acknowledged inserts make, in its own replica's order. */
    private static String acknowledgedText(EditorClient client) {
        return client.acknowledgedInsertsInDocumentOrder();
    }

    private static long storedVersion(Connection db, UUID document) throws Exception {
        try (PreparedStatement query = db.prepareStatement("SELECT version FROM documents WHERE id = ?")) {
            query.setObject(1, document);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }
}
