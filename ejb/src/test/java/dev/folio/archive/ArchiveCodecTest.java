package dev.folio.archive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.folio.document.StoredState;
import dev.folio.eventlog.LoggedDelta;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ArchiveCodecTest {

    private static final UUID DOCUMENT = UUID.fromString("6f1c1a52-3f0e-4c4e-9d64-0f2b4a3c5d11");
    private static final UUID AUTHOR = UUID.fromString("0b7e6f3a-1111-4c4e-9d64-0f2b4a3c5d11");
    private static final Instant AT = Instant.parse("2026-11-23T10:00:00Z");

    private static ArchivedRange range() {
        return new ArchivedRange(
                DOCUMENT,
                3,
                8,
                new StoredState(new byte[] {1, 2, 3, 4}, 57, 8),
                List.of(
                        new LoggedDelta(
                                DOCUMENT,
                                "17:a1",
                                3,
                                1,
                                "{\"ops\":[]}",
                                "Notes",
                                AUTHOR,
                                "{\"site\":17}",
                                AT,
                                AT,
                                "editor-1"),
                        new LoggedDelta(
                                DOCUMENT, "18:b#2", 8, 2, "{\"ops\":[1]}", "", null, null, AT, AT.plusSeconds(1))));
    }

    @Test
    void aRangeReadsBackAsWritten() {
        ArchivedRange written = range();
        ArchiveCodec.Encoded encoded = ArchiveCodec.encode(written);
        ArchivedRange read = ArchiveCodec.decode(DOCUMENT, written.key(), encoded.bytes(), encoded.sha256());
        assertEquals(written.events(), read.events());
        assertEquals(3, read.fromOffset());
        assertEquals(8, read.toOffset());
        assertArrayEquals(new byte[] {1, 2, 3, 4}, read.end().snapshot());
        assertEquals(57, read.end().snapshotVersion());
        assertEquals(8, read.end().logOffset());
    }

    @Test
    void anEventKeepsItsEditorAndOneWithoutReadsWithout() {
        ArchivedRange written = range();
        ArchiveCodec.Encoded encoded = ArchiveCodec.encode(written);
        List<LoggedDelta> read = ArchiveCodec.decode(DOCUMENT, written.key(), encoded.bytes(), encoded.sha256())
                .events();
        assertEquals("editor-1", read.get(0).editorId());
        assertNull(read.get(1).editorId());
    }

    @Test
    void aDocumentWithoutEditsHasNoSnapshotInItsArchive() {
        ArchivedRange written = new ArchivedRange(DOCUMENT, 0, 0, new StoredState(null, 0, 0), List.of());
        ArchiveCodec.Encoded encoded = ArchiveCodec.encode(written);
        assertNull(ArchiveCodec.decode(DOCUMENT, written.key(), encoded.bytes(), encoded.sha256())
                .end()
                .snapshot());
    }

    @Test
    void keysNameTheDocumentAndListInOffsetOrder() {
        assertEquals("documents/" + DOCUMENT + "/0000000000000000003-0000000000000000008.json.gz", range().key());
        ArchivedRange later = new ArchivedRange(DOCUMENT, 9, 120, new StoredState(null, 0, 120), List.of());
        assertTrue(range().key().compareTo(later.key()) < 0);
    }

    @Test
    void aKeyNamesTheLastOffsetItsArchiveCovers() {
        assertEquals(8, ArchivedRange.toOffsetOf(DOCUMENT, range().key()));
        assertThrows(
                CorruptArchiveException.class,
                () -> ArchivedRange.toOffsetOf(DOCUMENT, ArchivedRange.prefix(DOCUMENT) + "notes.txt"));
    }

    @Test
    void aDamagedObjectIsReportedWithItsDocumentAndKey() {
        ArchiveCodec.Encoded encoded = ArchiveCodec.encode(range());
        byte[] damaged = encoded.bytes().clone();
        damaged[damaged.length / 2] ^= 0x20;
        CorruptArchiveException corrupt = assertThrows(
                CorruptArchiveException.class,
                () -> ArchiveCodec.decode(DOCUMENT, range().key(), damaged, encoded.sha256()));
        assertEquals(DOCUMENT, corrupt.documentId());
        assertEquals(range().key(), corrupt.key());
        assertTrue(corrupt.getMessage().contains(DOCUMENT.toString()), corrupt.getMessage());
        assertTrue(corrupt.getMessage().contains(range().key()), corrupt.getMessage());
    }

    @Test
    void aTruncatedObjectIsNeverReadAsAShorterHistory() {
        ArchiveCodec.Encoded encoded = ArchiveCodec.encode(range());
        byte[] truncated = Arrays.copyOf(encoded.bytes(), encoded.bytes().length - 9);
        assertThrows(
                CorruptArchiveException.class,
                () -> ArchiveCodec.decode(DOCUMENT, range().key(), truncated, encoded.sha256()));
        // Even with a checksum that matches the truncated bytes, it does not decode.
        assertThrows(
                CorruptArchiveException.class,
                () -> ArchiveCodec.decode(DOCUMENT, range().key(), truncated, ArchiveCodec.sha256(truncated)));
    }

    @Test
    void anObjectWithoutItsChecksumIsNotTrusted() {
        ArchiveCodec.Encoded encoded = ArchiveCodec.encode(range());
        assertThrows(
                CorruptArchiveException.class,
                () -> ArchiveCodec.decode(DOCUMENT, range().key(), encoded.bytes(), null));
    }

    @Test
    void anObjectUnderAnotherKeyIsNotTakenForThatKeysRange() {
        ArchiveCodec.Encoded encoded = ArchiveCodec.encode(range());
        String other = new ArchivedRange(DOCUMENT, 0, 8, new StoredState(null, 0, 8), List.of()).key();
        assertThrows(
                CorruptArchiveException.class,
                () -> ArchiveCodec.decode(DOCUMENT, other, encoded.bytes(), encoded.sha256()));
        assertThrows(
                CorruptArchiveException.class,
                () -> ArchiveCodec.decode(UUID.randomUUID(), range().key(), encoded.bytes(), encoded.sha256()));
    }

    @Test
    void aRangeHoldsOnlyItsDocumentsEventsWithinItsOffsets() {
        LoggedDelta outside = new LoggedDelta(DOCUMENT, "17:a1", 9, 1, "{}", "", null, null, AT, AT);
        assertThrows(
                IllegalArgumentException.class,
                () -> new ArchivedRange(DOCUMENT, 3, 8, new StoredState(null, 0, 8), List.of(outside)));
    }
}
