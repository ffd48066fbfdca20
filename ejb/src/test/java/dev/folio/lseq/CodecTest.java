package dev.folio.lseq;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.folio.document.json.JsonDeltaCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Both wire formats and the snapshot round-trip; a restored replica keeps converging. */
class CodecTest {

    @Test
    void deltasRoundTripThroughJsonAndBinary() {
        Random random = new Random(11);
        Replica replica = new Replica(3);
        for (int i = 0; i < 500; i++) {
            Delta delta = ConvergenceTest.randomEdit(replica, random);
            assertEquals(delta, JsonDeltaCodec.decode(JsonDeltaCodec.encode(delta)));
            assertEquals(delta, BinaryDeltaCodec.decode(BinaryDeltaCodec.encode(delta)));
        }
    }

    @Test
    void aDeltaThatTypesAndDeletesTheSameCharacterRoundTrips() {
        Identifier x = Identifier.of(5, 1, 1);
        Identifier child = Identifier.of(5, 1, 1, 7, 1, 2);
        Delta delta = Delta.of(
                new Operation.Insert(x, 'a'),
                new Operation.Delete(x),
                new Operation.Delete(child),
                new Operation.Delete(x),
                new Operation.Delete(x));
        assertEquals(delta, BinaryDeltaCodec.decode(BinaryDeltaCodec.encode(delta)));
    }

    @Test
    void jsonFormIsTheDocumentedOne() {
        Delta delta = Delta.of(
                new Operation.Insert(Identifier.of(12, 3, 40, 7, 3, 41), 'a'),
                new Operation.Delete(Identifier.of(9, 1, 2)));
        assertEquals(
                "{\"ops\":[{\"type\":\"insert\",\"id\":[[12,3,40],[7,3,41]],\"text\":\"a\"},"
                        + "{\"type\":\"delete\",\"id\":[[9,1,2]]}]}",
                JsonDeltaCodec.encode(delta));
    }

    @Test
    void aPasteSharesItsPrefixInBinary() {
        Replica replica = new Replica(1);
        replica.insert(0, "x".repeat(5000));
        Delta paste = replica.insert(2500, "y".repeat(1000));
        int bytes = BinaryDeltaCodec.encode(paste).length;
        double perCharacter = bytes / 1000.0;
        assertEquals(paste, BinaryDeltaCodec.decode(BinaryDeltaCodec.encode(paste)));
        // Each further character differs from the previous in one level: kind, depth, shared,
        // digit step, site and counter steps, code point: about seven bytes.
        assertEquals(true, perCharacter < 8, "bytes per pasted character: " + perCharacter);
    }

    /**
     * The highest counter received per site survives a snapshot even where neither a character nor
     * a remembered delete shows it: a server that forgot its deletes relies on it.
     */
    @Test
    void aSnapshotKeepsTheHighestCounterReceivedFromEachSite() {
        Replica writer = new Replica(4);
        Replica server = new Replica(0);
        server.apply(writer.insert(0, "abc"));
        server.apply(writer.delete(0, 3));
        server.forgetDeletesBefore(server.deleteMark());

        Replica restored = SnapshotCodec.decode(SnapshotCodec.encode(server), 0, 0);
        assertEquals("", restored.text());
        assertEquals(0, restored.tombstoneCount());
        assertEquals(2, restored.highestCounter(4));
        assertEquals(-1, restored.highestCounter(5));
    }

    /** A snapshot stored before the received counters were kept ("FLS1") still loads. */
    @Test
    void aSnapshotOfTheFirstFormatLoadsWithTheCountersItsCharactersAndDeletesShow() {
        // Written by the previous SnapshotCodec: the first session of docs/lseq-vectors.json.
        byte[] first = java.util.Base64.getDecoder()
                .decode(
                        "RkxTMQAAAIZ42uPh8gl2DRRmVGNkYGRgYkSFzEwgiCwi8sWei4+LjYOJiYFJhImDiY2Hj49FmIWRgYGBiYGRCUiBmEAgzMPJxMTEziQiCKT4eJkggEHMIzUnJ1+hRCcjtSj1w/wZDQrl+UU5KQD4HQ2W");
        Replica loaded = SnapshotCodec.decode(first, 9, 0);
        assertEquals("Hello t,here\uD83D\uDE00 world", loaded.text());
        assertEquals(1, loaded.tombstoneCount());
        assertEquals(12, loaded.highestCounter(1));
        assertEquals(6, loaded.highestCounter(2));
        assertEquals(
                loaded.text(),
                SnapshotCodec.decode(SnapshotCodec.encode(loaded), 9, 0).text());
    }

    @Test
    void aRestoredSnapshotKeepsConverging() {
        Random random = new Random(5);
        Replica original = new Replica(1);
        Replica peer = new Replica(2);
        List<Delta> history = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            Delta delta = ConvergenceTest.randomEdit(random.nextBoolean() ? original : peer, random);
            history.add(delta);
        }
        history.forEach(original::apply);
        history.forEach(peer::apply);

        Replica restored = SnapshotCodec.decode(SnapshotCodec.encode(original), 3, 0);
        assertEquals(original.text(), restored.text());
        assertEquals(original.identifiers(), restored.identifiers());
        assertEquals(original.tombstoneCount(), restored.tombstoneCount());
        assertEquals(original.parameters(), restored.parameters());

        // The restored replica still refuses to resurrect what was deleted before the snapshot...
        history.forEach(restored::apply);
        assertEquals(original.text(), restored.text());
        // ...and edits alongside the others.
        List<Delta> after = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            after.add(
                    ConvergenceTest.randomEdit(List.of(original, peer, restored).get(i % 3), random));
        }
        for (Replica replica : List.of(original, peer, restored)) {
            after.forEach(replica::apply);
        }
        assertEquals(original.text(), restored.text());
        assertEquals(peer.identifiers(), restored.identifiers());
    }
}
