package dev.folio.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.folio.document.json.JsonDeltaCodec;
import dev.folio.lseq.Delta;
import dev.folio.lseq.Identifier;
import dev.folio.lseq.Replica;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Presence: relayed between the sessions of a document, kept for those that join later, ended
 * when the session ends, and never stored (docs/protocol.md, "Presence").
 */
class PresenceIT extends SystemTest {

    @Test
    void presenceReachesTheOthersAndLaterJoinersButNotItsSenderAndEndsWithTheSession() throws Exception {
        UUID document = api.createDocument("presence");
        try (RawSocket ada = open(document, "Ada");
                RawSocket grace = open(document, "Grace")) {
            int adaSite = ada.join();
            int graceSite = grace.join();
            Delta typed = write(ada, adaSite, "hi");
            assertEquals("delta", grace.next().getString("type"));

            // A selection over "hi", from before "h" to after "i".
            JsonObject caret = caret(null, typed.operations().get(1).id());
            ada.send(presence("Ada", caret));
            assertPresence(adaSite, "Ada", caret, grace.next());
            assertEquals(List.of(), ada.framesBeforePong(), "a client never receives its own presence");

            // No caret (the editor lost focus); the name shown is the token's, whatever the frame says.
            grace.send("{\"type\":\"presence\",\"name\":\"  Ada, really \"}");
            assertPresence(graceSite, "Grace", JsonValue.NULL, ada.next());

            try (RawSocket late = open(document, "Late")) {
                late.join();
                Map<Integer, JsonObject> shown = bySite(late.next(), late.next());
                assertPresence(adaSite, "Ada", caret, shown.get(adaSite));
                assertPresence(graceSite, "Grace", JsonValue.NULL, shown.get(graceSite));

                ada.close(); // drops the connection, as a lost network would
                assertLeft(adaSite, grace.next());
                assertLeft(adaSite, late.next());
                assertEquals(List.of(), grace.framesBeforePong());
                assertEquals(List.of(), late.framesBeforePong());
            }
        }
    }

    @Test
    void presenceCrossesNodesAndALeavingSessionIsDroppedOnTheOtherNode() throws Exception {
        UUID document = api.createDocument("presence across nodes");
        MicroNode second = stack.secondNode();
        try (RawSocket ada = open(document, "Ada");
                RawSocket grace =
                        RawSocket.open(second.ws().resolve("/ws/documents/" + document), person(document, "Grace"))) {
            int adaSite = ada.join();
            int graceSite = grace.join();

            ada.send(presence("Ada", JsonValue.NULL));
            assertPresence(adaSite, "Ada", JsonValue.NULL, grace.next());
            grace.send(presence("Grace", JsonValue.NULL));
            assertPresence(graceSite, "Grace", JsonValue.NULL, ada.next());

            ada.close();
            assertLeft(adaSite, grace.next());
        }
    }

    @Test
    void aCaretMayNameACharacterTheDocumentDoesNotHold() throws Exception {
        UUID document = api.createDocument("presence, deleted character");
        try (RawSocket ada = open(document, "Ada");
                RawSocket grace = open(document, "Grace")) {
            ada.join();
            grace.join();
            // Deleted meanwhile, or never reached the server: valid, so relayed as it is.
            JsonObject caret = caret(Identifier.of(7, 99, 1000), Identifier.of(7, 99, 1000, 3, 99, 1001));
            ada.send(presence("Ada", caret));
            assertEquals(caret, grace.next().getJsonObject("caret"));
        }
    }

    @Test
    void presenceBeforeJoiningIsRefusedAndReachesNoOne() throws Exception {
        UUID document = api.createDocument("presence before join");
        try (RawSocket joined = open(document, "Joined");
                RawSocket early = open(document, "Early")) {
            joined.join();
            early.send(presence("Early", JsonValue.NULL));
            assertEquals("not-joined", early.next().getString("code"));
            assertEquals(List.of(), joined.framesBeforePong());

            int site = early.join();
            early.send(presence("Early", JsonValue.NULL));
            assertPresence(site, "Early", JsonValue.NULL, joined.next());
        }
    }

    @Test
    void malformedPresenceIsRefusedChangesNothingAndReachesNoOne() throws Exception {
        UUID document = api.createDocument("malformed presence");
        try (RawSocket ada = open(document, "Ada");
                RawSocket grace = open(document, "Grace")) {
            int adaSite = ada.join();
            grace.join();
            JsonObject caret = caret(Identifier.of(5, adaSite, 0), Identifier.of(5, adaSite, 0));
            ada.send(presence("Ada", caret));
            assertPresence(adaSite, "Ada", caret, grace.next());

            List<String> malformed = new ArrayList<>(List.of(
                    "{\"type\":\"presence\"}",
                    "{\"type\":\"presence\",\"caret\":null}",
                    "{\"type\":\"presence\",\"name\":\"   \"}",
                    presence("x".repeat(65), JsonValue.NULL),
                    "{\"type\":\"presence\",\"name\":7}",
                    "{\"type\":\"presence\",\"name\":[\"Ada\"]}",
                    "{\"type\":\"presence\",\"name\":\"\\ud800\"}",
                    "{\"type\":\"presence\",\"name\":\"Ada\",\"caret\":\"here\"}",
                    "{\"type\":\"presence\",\"name\":\"Ada\",\"caret\":[[1,1,1]]}",
                    "{\"type\":\"presence\",\"name\":\"Ada\",\"caret\":{\"head\":null}}",
                    "{\"type\":\"presence\",\"name\":\"Ada\",\"caret\":{\"anchor\":null}}"));
            List<String> badIdentifiers = List.of(
                    "[[0,0,0]]", // ends in digit 0
                    "[[4096,1,1]]", // outside the base at depth 0 (2^12)
                    "[" + "[1,1,1],".repeat(256) + "[1,1,1]]", // 257 levels
                    "[[-1,1,1]]",
                    "[[1,1,99999999999]]",
                    "[[1.5,1,1]]",
                    "[[1,1]]",
                    "[]",
                    "[[\"1\",1,1]]",
                    "\"[[1,1,1]]\"",
                    "17",
                    "{}");
            for (String id : badIdentifiers) {
                malformed.add(
                        "{\"type\":\"presence\",\"name\":\"Ada\",\"caret\":{\"anchor\":null,\"head\":" + id + "}}");
            }
            for (String frame : malformed) {
                ada.send(frame);
                JsonObject error = ada.next();
                assertEquals("malformed-frame", error.getString("code"), () -> frame + " -> " + error);
            }

            assertEquals(List.of(), grace.framesBeforePong(), "the others receive nothing");
            assertEquals(List.of(), ada.framesBeforePong(), "the socket stays open");
            try (RawSocket late = open(document, "Late")) {
                late.join();
                assertPresence(adaSite, "Ada", caret, late.next()); // the last valid one stands
                assertEquals(List.of(), late.framesBeforePong());
            }
            String longest = "y".repeat(64);
            ada.send(presence(" " + longest + " ", JsonValue.NULL));
            assertPresence(adaSite, "Ada", JsonValue.NULL, grace.next());
        }
    }

    @Test
    void presenceIsNeverStored() throws Exception {
        UUID document = api.createDocument("presence never stored");
        try (RawSocket ada = open(document, "Ada");
                RawSocket grace = open(document, "Grace")) {
            int adaSite = ada.join();
            int graceSite = grace.join();
            Delta typed = write(ada, adaSite, "stored text");
            assertEquals("delta", grace.next().getString("type"));
            long version = api.document(document).getJsonNumber("version").longValue();
            assertEquals(1, version);

            int moves = 50;
            for (int i = 0; i < moves; i++) {
                Identifier at = typed.operations().get(i % typed.size()).id();
                ada.send(presence("Ada", caret(at, at)));
                grace.send(presence("Grace", caret(null, at)));
            }
            assertAllPresence(adaSite, moves, grace);
            assertAllPresence(graceSite, moves, ada);

            JsonObject after = api.document(document);
            assertEquals(version, after.getJsonNumber("version").longValue());
            assertEquals("stored text", after.getString("text"));
        }
    }

    /** A socket of the person {@code name}, with whom the document is shared first. */
    private static RawSocket open(UUID document, String name) throws Exception {
        return RawSocket.open(stack.ws().resolve("/ws/documents/" + document), person(document, name));
    }

    /** The access token of the person {@code name}, once the document is shared with them. */
    private static String person(UUID document, String name) throws Exception {
        String token = TestTokens.shared().accessAsPerson(name);
        api.as(token).becomeKnown();
        api.shareWithId(document, TestTokens.personId(name), "editor");
        return token;
    }

    /** Inserts {@code text} at the start as {@code site} and waits for its ack. */
    private static Delta write(RawSocket socket, int site, String text) throws Exception {
        Delta delta = new Replica(site).insert(0, text);
        socket.send(EditorClient.frame(site + "-0", delta));
        JsonObject ack = socket.next();
        assertEquals("ack", ack.getString("type"), ack::toString);
        return delta;
    }

    private static String presence(String name, JsonValue caret) {
        return Json.createObjectBuilder()
                .add("type", "presence")
                .add("name", name)
                .add("caret", caret)
                .build()
                .toString();
    }

    private static JsonObject caret(Identifier anchor, Identifier head) {
        return Json.createObjectBuilder()
                .add("anchor", anchor == null ? JsonValue.NULL : JsonDeltaCodec.toJson(anchor))
                .add("head", head == null ? JsonValue.NULL : JsonDeltaCodec.toJson(head))
                .build();
    }

    private static void assertPresence(int site, String name, JsonValue caret, JsonObject frame) {
        assertEquals("presence", frame.getString("type"), frame::toString);
        assertEquals(site, frame.getInt("site"), frame::toString);
        assertEquals(name, frame.getString("name"), frame::toString);
        assertEquals(caret, frame.get("caret"), frame::toString);
        assertFalse(frame.containsKey("left"), frame::toString);
    }

    private static void assertLeft(int site, JsonObject frame) {
        assertEquals("presence", frame.getString("type"), frame::toString);
        assertEquals(site, frame.getInt("site"), frame::toString);
        assertTrue(frame.getBoolean("left"), frame::toString);
        assertFalse(frame.containsKey("name"), frame::toString);
    }

    /** Receives {@code count} presence frames from {@code site}, then nothing else. */
    private static void assertAllPresence(int site, int count, RawSocket socket) throws Exception {
        for (int i = 0; i < count; i++) {
            JsonObject frame = socket.next();
            assertEquals("presence", frame.getString("type"), frame::toString);
            assertEquals(site, frame.getInt("site"), frame::toString);
        }
        assertEquals(List.of(), socket.framesBeforePong());
    }

    private static Map<Integer, JsonObject> bySite(JsonObject... frames) {
        Map<Integer, JsonObject> bySite = new HashMap<>();
        for (JsonObject frame : frames) {
            bySite.put(frame.getInt("site"), frame);
        }
        return bySite;
    }
}
