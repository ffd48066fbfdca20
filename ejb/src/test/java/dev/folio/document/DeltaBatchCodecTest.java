package dev.folio.document;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.folio.lseq.Delta;
import dev.folio.lseq.InvalidDeltaException;
import dev.folio.lseq.Replica;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class DeltaBatchCodecTest {

    private static final UUID DOCUMENT = UUID.fromString("6f1c1a52-3f0e-4c4e-9d64-0f2b4a3c5d11");

    /** Header: "FLB1", kind, count. */
    private static final int HEADER = 4 + 1 + 4;

    private static List<SubmittedDelta> batch() {
        Replica alice = new Replica(17);
        Replica bob = new Replica(23);
        Delta typed = alice.insert(0, "héllo 😀");
        bob.apply(typed);
        Delta deleted = bob.delete(1, 2);
        return List.of(
                new SubmittedDelta("17-1", 17, typed, "alice"),
                new SubmittedDelta("23-é", 23, deleted, "böb"),
                new SubmittedDelta("17-2", 17, new Delta(List.of()), "alice"));
    }

    @Test
    void eachDeltaKeepsTheUserWhoMadeIt() {
        LoggedBatch decoded = DeltaBatchCodec.decode(DOCUMENT, 7, DeltaBatchCodec.encode(batch()));
        assertEquals(
                List.of("alice", "böb", "alice"),
                decoded.deltas().stream().map(SubmittedDelta::userId).toList());
        SubmittedDelta unknown = new SubmittedDelta("9-1", 9, new Delta(List.of()));
        assertEquals(
                List.of(unknown),
                DeltaBatchCodec.decode(DOCUMENT, 7, DeltaBatchCodec.encode(List.of(unknown)))
                        .deltas());
    }

    /** A record written before deltas named their users (kind 1) still reads, with no user. */
    @Test
    void aRecordFromBeforeUsersReadsWithoutThem() throws IOException {
        Delta typed = new Replica(17).insert(0, "hi");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.write("FLB1".getBytes(StandardCharsets.US_ASCII));
            out.writeByte(1);
            out.writeInt(1);
            out.writeInt(17);
            out.writeShort(4);
            out.write("17-1".getBytes(StandardCharsets.US_ASCII));
            byte[] delta = dev.folio.lseq.BinaryDeltaCodec.encode(typed);
            out.writeInt(delta.length);
            out.write(delta);
        }
        LoggedBatch decoded = DeltaBatchCodec.decode(DOCUMENT, 3, bytes.toByteArray());
        assertEquals(List.of(new SubmittedDelta("17-1", 17, typed, null)), decoded.deltas());
    }

    @Test
    void aBatchComesBackAsItWasWithItsDocumentAndOffset() {
        List<SubmittedDelta> batch = batch();
        LoggedBatch decoded = DeltaBatchCodec.decode(DOCUMENT, 42, DeltaBatchCodec.encode(batch));
        assertEquals(DOCUMENT, decoded.documentId());
        assertEquals(42, decoded.offset());
        assertFalse(decoded.deleted());
        assertEquals(batch, decoded.deltas());
    }

    @Test
    void aRecordTakesItsHeaderAndWhatEachDeltaTakes() {
        List<SubmittedDelta> batch = batch();
        int entries = batch.stream().mapToInt(DeltaBatchCodec::entryBytes).sum();
        assertEquals(DeltaBatchCodec.HEADER_BYTES, HEADER);
        assertEquals(HEADER + entries, DeltaBatchCodec.encode(batch).length);
    }

    @Test
    void aDeletionCarriesNothingButItsKind() {
        byte[] encoded = DeltaBatchCodec.encodeDeleted();
        assertEquals(HEADER, encoded.length);
        LoggedBatch decoded = DeltaBatchCodec.decode(DOCUMENT, 0, encoded);
        assertTrue(decoded.deleted());
        assertTrue(decoded.deltas().isEmpty());
        assertEquals(new LoggedBatch(DOCUMENT, 0, List.of(), true), decoded);
    }

    @Test
    void anEmptyBatchIsNotEncoded() {
        assertThrows(IllegalArgumentException.class, () -> DeltaBatchCodec.encode(List.of()));
    }

    @Test
    void everyTruncationIsInvalid() {
        for (byte[] valid : List.of(DeltaBatchCodec.encode(batch()), DeltaBatchCodec.encodeDeleted())) {
            for (int length = 0; length < valid.length; length++) {
                assertInvalid(Arrays.copyOf(valid, length), "truncated to " + length + " of " + valid.length);
            }
        }
    }

    @Test
    void trailingBytesAreInvalid() {
        for (byte[] valid : List.of(DeltaBatchCodec.encode(batch()), DeltaBatchCodec.encodeDeleted())) {
            assertInvalid(Arrays.copyOf(valid, valid.length + 1), "one byte more");
            assertInvalid(concat(valid, valid), "twice");
        }
    }

    @Test
    void aWrongMagicOrKindIsInvalid() {
        byte[] valid = DeltaBatchCodec.encode(batch());
        for (int i = 0; i < 4; i++) {
            byte[] forged = valid.clone();
            forged[i] ^= 0x20;
            assertInvalid(forged, "magic byte " + i);
        }
        for (int kind : new int[] {0, 3, 0x7f, 0xff}) {
            byte[] forged = valid.clone();
            forged[4] = (byte) kind;
            assertInvalid(forged, "kind " + kind);
        }
        // A deletion's kind over deltas, and a deletion claiming deltas.
        byte[] deltasAsDeletion = valid.clone();
        deltasAsDeletion[4] = 2;
        assertInvalid(deltasAsDeletion, "deltas under the deletion kind");
        byte[] deletion = DeltaBatchCodec.encodeDeleted();
        ByteBuffer.wrap(deletion).putInt(5, 1);
        assertInvalid(deletion, "a deletion with a count");
        assertInvalid(new byte[0], "nothing");
    }

    @Test
    void forgedCountsAndLengthsAreInvalidWithoutAllocatingThem() {
        byte[] valid = DeltaBatchCodec.encode(batch());
        for (int count : new int[] {0, -1, 4, 1_000, Integer.MAX_VALUE, Integer.MIN_VALUE}) {
            byte[] forged = valid.clone();
            ByteBuffer.wrap(forged).putInt(5, count);
            assertInvalid(forged, "count " + count);
        }
        // First delta: site at HEADER, opId length (short) at HEADER + 4.
        for (int length : new int[] {0, 0x7fff, 0xffff}) {
            byte[] forged = valid.clone();
            ByteBuffer.wrap(forged).putShort(HEADER + 4, (short) length);
            assertInvalid(forged, "opId length " + length);
        }
        int deltaLengthAt = HEADER + 4 + 2 + "17-1".length();
        for (int length : new int[] {0, -1, 1 << 30, Integer.MAX_VALUE, Integer.MIN_VALUE}) {
            byte[] forged = valid.clone();
            ByteBuffer.wrap(forged).putInt(deltaLengthAt, length);
            assertInvalid(forged, "delta length " + length);
        }
        for (int site : new int[] {0, -17}) {
            byte[] forged = valid.clone();
            ByteBuffer.wrap(forged).putInt(HEADER, site);
            assertInvalid(forged, "site " + site);
        }
    }

    @Test
    void aHugeClaimInASmallRecordIsInvalid() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.write("FLB1".getBytes(StandardCharsets.US_ASCII));
            out.writeByte(1);
            out.writeInt(1);
            out.writeInt(17);
            out.writeShort(1);
            out.writeByte('x');
            out.writeInt(Integer.MAX_VALUE);
            out.write(new byte[16]);
        }
        assertInvalid(bytes.toByteArray(), "a delta claiming 2 GB");
    }

    @Test
    void anOpIdTooLongForASubmittedDeltaIsInvalid() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        byte[] delta = dev.folio.lseq.BinaryDeltaCodec.encode(new Delta(List.of()));
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.write("FLB1".getBytes(StandardCharsets.US_ASCII));
            out.writeByte(1);
            out.writeInt(1);
            out.writeInt(17);
            byte[] opId = "x".repeat(129).getBytes(StandardCharsets.UTF_8);
            out.writeShort(opId.length);
            out.write(opId);
            out.writeInt(delta.length);
            out.write(delta);
        }
        assertInvalid(bytes.toByteArray(), "an opId of 129 characters");
    }

    @Test
    void randomMutationsDecodeOrAreInvalid() {
        byte[] valid = DeltaBatchCodec.encode(batch());
        Random random = new Random(7);
        for (int i = 0; i < 20_000; i++) {
            byte[] mutant = valid.clone();
            for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
                mutant[random.nextInt(mutant.length)] = (byte) random.nextInt(256);
            }
            try {
                DeltaBatchCodec.decode(DOCUMENT, i, mutant);
            } catch (InvalidDeltaException expected) {
                // refused, as it should be
            } catch (RuntimeException | OutOfMemoryError e) {
                fail("mutant " + i + " threw " + e, e);
            }
        }
    }

    private static void assertInvalid(byte[] bytes, String what) {
        try {
            LoggedBatch decoded = DeltaBatchCodec.decode(DOCUMENT, 0, bytes);
            fail(what + ": decoded to " + decoded);
        } catch (InvalidDeltaException expected) {
            // refused, as it should be
        } catch (RuntimeException | OutOfMemoryError e) {
            fail(what + ": threw " + e, e);
        }
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] both = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }
}
