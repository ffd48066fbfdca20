package dev.folio.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Several real clients edit one document over WebSocket against the running server. */
class CollaborationIT extends SystemTest {

    @Test
    void fiveClientsEditingConcurrentlyConvergeWithTheServer() throws Exception {
        UUID document = api.createDocument("five clients");
        List<EditorClient> clients = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            clients.add(EditorClient.join(stack.ws(), document, "client" + i));
        }
        editConcurrently(clients, 80, 1000);

        JsonObject server = api.document(document);
        long version = server.getJsonNumber("version").longValue();
        assertTrue(api.metric("folio_sessions_open") >= clients.size(), "the sessions metric counts them");
        assertTrue(api.metric("folio_deltas_accepted_total") >= version, "the accepted-deltas counter too");
        for (EditorClient client : clients) {
            client.awaitVersion(version);
            assertEquals(server.getString("text"), client.text(), "every replica is equal");
            assertTrue(client.errors().isEmpty(), () -> "no error frames: " + client.errors());
            client.close();
        }
        // A delete of a character someone else deleted first changes nothing and gets no version.
        assertEquals(
                version,
                clients.stream().mapToInt(EditorClient::versionsAcknowledged).sum(),
                "every version belongs to exactly one acknowledged delta");
        assertTrue(version > 5 * 80 * 9 / 10, "few edits were concurrent deletes of the same character");
        assertFalse(server.getString("text").isEmpty());
    }

    @Test
    void aClientThatWasAwayCatchesUpWithTheDeltasItMissedAndSendsWhatItTypedMeanwhile() throws Exception {
        UUID document = api.createDocument("rejoin");
        EditorClient stay = EditorClient.join(stack.ws(), document, "stay");
        EditorClient away = EditorClient.join(stack.ws(), document, "away");
        stay.insert(0, "shared start ");
        stay.awaitAcknowledged();
        away.awaitVersion(stay.version());

        away.disconnect();
        away.insert(0, "typed while away: ");
        Random random = new Random(7);
        for (int i = 0; i < 20; i++) {
            stay.randomEdit(random);
        }
        stay.awaitAcknowledged();

        away.connect();
        away.awaitAcknowledged();
        long version = api.document(document).getJsonNumber("version").longValue();
        stay.awaitVersion(version);
        away.awaitVersion(version);

        assertFalse(away.snapshotReceived(), "a client a few versions behind gets deltas, not the document");
        String text = api.document(document).getString("text");
        assertEquals(text, away.text());
        assertEquals(text, stay.text());
        // The other client's concurrent inserts may land inside it, but it is all there, in order.
        assertTrue(isSubsequence("typed while away: ", text), text);
        stay.close();
        away.close();
    }

    @Test
    void aNewClientGetsTheDocumentAsASnapshot() throws Exception {
        UUID document = api.createDocument("late joiner");
        EditorClient first = EditorClient.join(stack.ws(), document, "first");
        first.insert(0, "written before the second client came");
        first.awaitAcknowledged();

        EditorClient late = EditorClient.join(stack.ws(), document, "late");

        assertTrue(late.snapshotReceived());
        assertEquals(first.text(), late.text());
        assertEquals(first.version(), late.version());
        first.close();
        late.close();
    }
}
