package dev.folio.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.folio.archive.Compaction;
import dev.folio.archive.CompactionLease;
import dev.folio.archive.MemoryArchive;
import dev.folio.archive.MemoryEventLog;
import dev.folio.document.LoggedBatch;
import dev.folio.document.RebuiltDocument;
import dev.folio.document.StoredState;
import dev.folio.document.SubmittedDelta;
import dev.folio.eventlog.BatchEvents;
import dev.folio.lseq.Delta;
import dev.folio.lseq.Replica;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A document's past from archives and the event log, in memory: two people type 30 log records
 * (offsets 0, 2, 4, ...: other documents' records lie between), one a minute from {@link #T0}, some
 * records carrying several deltas and one a resend that changes nothing; the first 12 records are
 * compacted into two archives. What each version's text was is recorded as it is typed.
 */
class DocumentHistoryTest {

    private static final UUID DOCUMENT = UUID.fromString("6f1c1a52-3f0e-4c4e-9d64-0f2b4a3c5d11");
    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
    private static final Instant NOW = T0.plus(Duration.ofDays(1));

    private final MemoryEventLog log = new MemoryEventLog();
    private final MemoryArchive archive = new MemoryArchive();
    private final DocumentHistory history = new DocumentHistory(log, archive, Clock.fixed(NOW, ZoneOffset.UTC));

    /** The text at each version, index = version. */
    private final List<String> texts = new ArrayList<>(List.of(""));

    private final List<String> editors = new ArrayList<>(List.of(""));
    private final List<Long> offsets = new ArrayList<>(List.of(-1L));

    @BeforeEach
    void typeAndCompact() {
        Replica alice = new Replica(3);
        Replica bob = new Replica(4);
        Random random = new Random(15);
        List<LoggedBatch> records = new ArrayList<>();
        for (int record = 0; record < 30; record++) {
            long offset = 2L * record;
            List<SubmittedDelta> deltas = new ArrayList<>();
            for (int i = 0; i < (record % 4 == 1 ? 3 : 1); i++) {
                boolean byAlice = random.nextBoolean();
                Replica typist = byAlice ? alice : bob;
                Replica other = byAlice ? bob : alice;
                Delta delta = typist.length() > 3 && random.nextInt(3) == 0
                        ? typist.delete(random.nextInt(typist.length() - 2), 2)
                        : typist.insert(
                                random.nextInt(typist.length() + 1), Character.toString('a' + random.nextInt(26)));
                other.apply(delta);
                String user = byAlice ? "alice" : "bob";
                deltas.add(new SubmittedDelta(user + offset + "-" + i, typist.site(), delta, user));
                texts.add(typist.text());
                editors.add(user);
                offsets.add(offset);
            }
            if (record == 9) {
                deltas.add(deltas.get(0)); // a resend in the same record: no version
            }
            records.add(new LoggedBatch(DOCUMENT, offset, deltas, false));
            log.write(BatchEvents.events(records.get(record), "Notes", null, T0.plus(Duration.ofMinutes(record))));
        }
        compactThrough(records, 5);
        compactThrough(records, 11);
    }

    /** Compacts the records up to index {@code last} into one more archive. */
    private void compactThrough(List<LoggedBatch> records, int last) {
        StoredState snapshot = RebuiltDocument.of(DOCUMENT, RebuiltDocument.EMPTY, records.subList(0, last + 1))
                .state();
        Compaction compaction = new Compaction(log, archive, new FreeLease());
        compaction.compact(DOCUMENT, snapshot, T0.plus(Duration.ofMinutes(last)).plusSeconds(1));
    }

    @Test
    void theChainIsPartlyArchived() {
        assertEquals(2, archive.keys(DOCUMENT).size());
        assertEquals(24, log.all().get(0).kafkaOffset(), "the event log keeps what follows the archives");
    }

    @Test
    void everyVersionIsListedWithItsEditorRecordTimeAndSize() {
        List<PastVersion> versions = history.versions(DOCUMENT);

        assertEquals(texts.size() - 1, versions.size());
        for (PastVersion version : versions) {
            int v = (int) version.version();
            assertEquals(editors.get(v), version.editorId(), "version " + v);
            assertEquals(offsets.get(v), version.offset(), "version " + v);
            assertEquals(T0.plus(Duration.ofMinutes(version.offset() / 2)), version.at(), "version " + v);
            assertEquals(texts.get(v).length(), version.length(), "version " + v);
            assertEquals(
                    texts.get(v).length() - texts.get(v - 1).length(),
                    version.inserted() - version.deleted(),
                    "version " + v);
        }
    }

    @Test
    void theTextAtEveryVersionIsWhatItWas() {
        for (int version = 0; version < texts.size(); version++) {
            PastText past = history.textAt(DOCUMENT, new PastPoint.AtVersion(version));
            assertEquals(texts.get(version), past.text(), "version " + version);
            assertEquals(version, past.version());
        }
    }

    @Test
    void theTextAtAnOffsetHoldsEveryRecordUpToIt() {
        for (long offset = 0; offset <= 58; offset++) {
            int last = lastVersionThrough(offset);
            PastText past = history.textAt(DOCUMENT, new PastPoint.AtOffset(offset));
            assertEquals(texts.get(last), past.text(), "offset " + offset);
            assertEquals(last, past.version(), "offset " + offset);
        }
    }

    @Test
    void theTextAtAMomentHoldsEveryRecordTakenByThen() {
        assertEquals(
                "",
                history.textAt(DOCUMENT, new PastPoint.AtTime(T0.minusSeconds(1)))
                        .text());
        for (int record = 0; record < 30; record++) {
            Instant at = T0.plus(Duration.ofMinutes(record)).plusSeconds(30);
            assertEquals(
                    texts.get(lastVersionThrough(2L * record)),
                    history.textAt(DOCUMENT, new PastPoint.AtTime(at)).text(),
                    "minute " + record);
        }
    }

    @Test
    void aVersionOrOffsetAfterTheLastOrAMomentToComeIsOutsideTheHistory() {
        int last = texts.size() - 1;
        OutsideHistoryException version = assertThrows(
                OutsideHistoryException.class, () -> history.textAt(DOCUMENT, new PastPoint.AtVersion(last + 1)));
        assertEquals("unknown-version", version.code());
        assertEquals(
                "unknown-offset",
                assertThrows(OutsideHistoryException.class, () -> history.textAt(DOCUMENT, new PastPoint.AtOffset(59)))
                        .code());
        assertEquals(
                "in-the-future",
                assertThrows(
                                OutsideHistoryException.class,
                                () -> history.textAt(DOCUMENT, new PastPoint.AtTime(NOW.plusSeconds(1))))
                        .code());
    }

    @Test
    void aDocumentNeverEditedHasOnlyVersionZero() {
        UUID empty = UUID.randomUUID();
        assertEquals(List.of(), history.versions(empty));
        assertEquals("", history.textAt(empty, new PastPoint.AtVersion(0)).text());
        assertThrows(OutsideHistoryException.class, () -> history.textAt(empty, new PastPoint.AtVersion(1)));
    }

    private int lastVersionThrough(long offset) {
        int last = 0;
        while (last + 1 < offsets.size() && offsets.get(last + 1) <= offset) {
            last++;
        }
        return last;
    }

    private static final class FreeLease implements CompactionLease {
        @Override
        public boolean hold(UUID documentId) {
            return true;
        }

        @Override
        public void release(UUID documentId) {}
    }
}
