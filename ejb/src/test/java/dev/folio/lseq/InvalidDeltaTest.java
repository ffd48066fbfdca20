package dev.folio.lseq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.folio.document.json.JsonDeltaCodec;
import dev.folio.lseq.Operation.Delete;
import dev.folio.lseq.Operation.Insert;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Malformed deltas are refused with a clear message and leave the replica exactly as it was. */
class InvalidDeltaTest {

    final Replica cut = new Replica(2);
    String textBefore;
    List<Identifier> idsBefore;
    int tombstonesBefore;

    @BeforeEach
    void someText() {
        Replica author = new Replica(1);
        cut.apply(author.insert(0, "hello"));
        cut.apply(author.delete(0, 1));
        textBefore = cut.text();
        idsBefore = cut.identifiers();
        tombstonesBefore = cut.tombstoneCount();
    }

    /** A valid insert first, so that a half-applied delta would show. */
    Delta validThen(Operation bad) {
        Identifier fresh = new IdentifierAllocator(LseqParameters.DEFAULT).between(null, cut.identifierAt(0), 7, 0);
        return Delta.of(new Insert(fresh, 'z'), bad);
    }

    void assertRefused(Executable action, String messagePart) {
        InvalidDeltaException refused = assertThrows(InvalidDeltaException.class, action);
        assertTrue(refused.getMessage().contains(messagePart), refused.getMessage());
        assertEquals(textBefore, cut.text());
        assertEquals(idsBefore, cut.identifiers());
        assertEquals(tombstonesBefore, cut.tombstoneCount());
    }

    @Test
    void digitOutsideItsDepthsBase() {
        int rootBase = LseqParameters.DEFAULT.base(0);
        assertRefused(() -> cut.apply(validThen(new Insert(Identifier.of(rootBase, 1, 9), 'x'))), "outside its base");
    }

    @Test
    void lastDigitZero() {
        assertRefused(() -> cut.apply(validThen(new Delete(Identifier.of(3, 1, 1, 0, 1, 2)))), "never 0");
    }

    @Test
    void tooDeep() {
        int[] triples = new int[3 * (LseqParameters.MAX_DEPTH + 1)];
        Arrays.fill(triples, 1);
        assertRefused(() -> cut.apply(validThen(new Delete(Identifier.of(triples)))), "levels");
    }

    @Test
    void emptyOrBrokenIdentifiers() {
        assertRefused(() -> Identifier.of(), "at least one level");
        assertRefused(() -> Identifier.of(1, 2), "triples");
        assertRefused(() -> Identifier.of(1, -2, 3), "never negative");
    }

    @Test
    void loneSurrogateCodePoint() {
        assertRefused(() -> new Insert(Identifier.of(1, 1, 1), 0xD800), "Unicode scalar");
        assertRefused(() -> new Insert(Identifier.of(1, 1, 1), 0x110000), "Unicode scalar");
    }

    @Test
    void forgedIdentifierThatAlreadyHoldsAnotherCharacter() {
        Identifier existing = cut.identifierAt(0);
        assertRefused(() -> cut.apply(validThen(new Insert(existing, 'Q'))), "different character");
    }

    @Test
    void sameIdentifierTwiceWithDifferentCharacters() {
        Identifier fresh = Identifier.of(1, 9, 9);
        assertRefused(() -> cut.apply(Delta.of(new Insert(fresh, 'a'), new Insert(fresh, 'b'))), "twice");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "not json",
                "[]",
                "{}",
                "{\"ops\":{}}",
                "{\"ops\":[{\"id\":[[1,1,1]]}]}",
                "{\"ops\":[{\"type\":\"move\",\"id\":[[1,1,1]]}]}",
                "{\"ops\":[{\"type\":\"delete\"}]}",
                "{\"ops\":[{\"type\":\"delete\",\"id\":[]}]}",
                "{\"ops\":[{\"type\":\"delete\",\"id\":[[1,1]]}]}",
                "{\"ops\":[{\"type\":\"delete\",\"id\":[[1,-1,1]]}]}",
                "{\"ops\":[{\"type\":\"delete\",\"id\":[[1.5,1,1]]}]}",
                "{\"ops\":[{\"type\":\"delete\",\"id\":[[1e999999999,1,1]]}]}",
                "{\"ops\":[{\"type\":\"delete\",\"id\":[[4294967296,1,1]]}]}",
                "{\"ops\":[{\"type\":\"insert\",\"id\":[[1,1,1]]}]}",
                "{\"ops\":[{\"type\":\"insert\",\"id\":[[1,1,1]],\"text\":\"\"}]}",
                "{\"ops\":[{\"type\":\"insert\",\"id\":[[1,1,1]],\"text\":\"ab\"}]}",
                "{\"ops\":[{\"type\":\"insert\",\"id\":[[1,1,1]],\"text\":\"\\uD800\"}]}",
                "{\"ops\":[{\"type\":\"insert\",\"id\":[[1,1,1]],\"text\":\"\\uDC00\"}]}",
                "{\"ops\":[{\"type\":\"insert\",\"id\":[[1,1,1]],\"text\":\"a\"}, 7]}",
                "{\"ops\":[{\"type\":\"delete\",\"id\":[[1e-2147483648,1,1]]}]}",
                "{\"ops\":[{\"type\":\"delete\",\"id\":[[1e2147483648,1,1]]}]}",
                "{\"ops\":[{\"type\":\"delete\",\"id\":[[1e99999999999,1,1]]}]}"
            })
    void malformedJsonIsRefused(String json) {
        InvalidDeltaException refused =
                assertThrows(InvalidDeltaException.class, () -> cut.apply(JsonDeltaCodec.decode(json)));
        assertTrue(!refused.getMessage().isBlank());
        assertEquals(textBefore, cut.text());
    }

    @Test
    void parserLimitsAreRefusedToo() {
        String longNumber = "1" + "0".repeat(1200);
        String deep = "[".repeat(5000) + "]".repeat(5000);
        for (String json : new String[] {
            "{\"ops\":[{\"type\":\"delete\",\"id\":[[" + longNumber + ",1,1]]}]}", "{\"ops\":" + deep + "}"
        }) {
            assertThrows(InvalidDeltaException.class, () -> JsonDeltaCodec.decode(json));
        }
    }

    @Test
    void malformedBinaryIsRefused() {
        byte[] good = BinaryDeltaCodec.encode(new Replica(5).insert(0, "abc"));
        assertRefused(() -> BinaryDeltaCodec.decode(new byte[0]), "truncated");
        assertRefused(() -> BinaryDeltaCodec.decode(new byte[] {9, 0}), "version");
        assertRefused(() -> BinaryDeltaCodec.decode(Arrays.copyOf(good, good.length - 1)), "truncated");
        byte[] trailing = Arrays.copyOf(good, good.length + 1);
        assertRefused(() -> BinaryDeltaCodec.decode(trailing), "unexpected bytes");
        byte[] unknownKind = good.clone();
        unknownKind[2] = 7;
        assertRefused(() -> BinaryDeltaCodec.decode(unknownKind), "unknown operation kind");
        assertRefused(() -> BinaryDeltaCodec.decode(new byte[] {1, (byte) 0xFF, (byte) 0xFF, 0x03}), "cannot hold");
        assertRefused(
                () -> BinaryDeltaCodec.decode(
                        new byte[] {1, 1, 1, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0}),
                "varint");
    }

    @Test
    void corruptSnapshotsAreRefused() {
        byte[] snapshot = SnapshotCodec.encode(cut);
        assertRefused(() -> SnapshotCodec.decode(new byte[] {1, 2, 3}, 1, 0), "snapshot");
        // A ten-byte forgery announcing a 1 GiB body is refused without allocating it.
        assertRefused(
                () -> SnapshotCodec.decode(new byte[] {'F', 'L', 'S', '1', 0x10, 0, 0, 0, 0x78, (byte) 0x9C}, 1, 0),
                "snapshot");
        assertRefused(() -> SnapshotCodec.decode(Arrays.copyOf(snapshot, snapshot.length - 3), 1, 0), "snapshot");
        byte[] flipped = snapshot.clone();
        flipped[flipped.length / 2] ^= 0x5A;
        assertThrows(InvalidDeltaException.class, () -> SnapshotCodec.decode(flipped, 1, 0));
    }

    @Test
    void bytesAfterTheSnapshotAreRefusedAsInTheBrowser() {
        byte[] snapshot = SnapshotCodec.encode(cut);
        assertEquals(cut.text(), SnapshotCodec.decode(snapshot, 1, 0).text());
        byte[] longer = Arrays.copyOf(snapshot, snapshot.length + 1);
        assertRefused(() -> SnapshotCodec.decode(longer, 1, 0), "after the snapshot");
    }
}
