package dev.folio.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.folio.document.LoggedBatch;
import dev.folio.document.RebuiltDocument;
import dev.folio.document.StoredState;
import dev.folio.document.SubmittedDelta;
import dev.folio.eventlog.BatchEvents;
import dev.folio.eventlog.LoggedDelta;
import dev.folio.lseq.Replica;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Compaction of one document against an event log and an archive in memory: a typist's 20 log
 * records (offsets 0 to 19, two deltas in every fifth), one a minute from {@link #T0}, and the
 * document's stored snapshot at offset 14.
 */
class CompactionTest {

    private static final UUID DOCUMENT = UUID.fromString("6f1c1a52-3f0e-4c4e-9d64-0f2b4a3c5d11");
    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
    private static final long SNAPSHOT_OFFSET = 14;

    private final MemoryEventLog log = new MemoryEventLog();
    private final MemoryArchive archive = new MemoryArchive();
    private final MemoryLease lease = new MemoryLease();
    private final List<LoggedBatch> records = new ArrayList<>();
    private final List<LoggedDelta> everyEvent = new ArrayList<>();
    private StoredState snapshot;

    @BeforeEach
    void type() {
        Replica typist = new Replica(7);
        for (int offset = 0; offset < 20; offset++) {
            List<SubmittedDelta> deltas = new ArrayList<>();
            for (int i = 0; i < (offset % 5 == 0 ? 2 : 1); i++) {
                String character = Character.toString('a' + (offset + i) % 26);
                deltas.add(new SubmittedDelta("e" + offset + "-" + i, 7, typist.insert(typist.length(), character)));
            }
            LoggedBatch record = new LoggedBatch(DOCUMENT, offset, deltas, false);
            records.add(record);
            everyEvent.addAll(BatchEvents.events(record, "Notes", null, T0.plus(Duration.ofMinutes(offset))));
        }
        log.write(everyEvent);
        snapshot = textAt(SNAPSHOT_OFFSET).state();
    }

    private Compaction compaction() {
        return new Compaction(log, archive, lease);
    }

    private RebuiltDocument textAt(long offset) {
        return RebuiltDocument.of(
                DOCUMENT,
                RebuiltDocument.EMPTY,
                records.stream().filter(r -> r.offset() <= offset).toList());
    }

    private static Instant minute(int minute) {
        return T0.plus(Duration.ofMinutes(minute));
    }

    @Test
    void eventsOlderThanTheSnapshotAndTheRetentionMoveToTheArchive() {
        Compaction.Result result = compaction().compact(DOCUMENT, snapshot, minute(10));

        assertEquals(12, result.archived()); // offsets 0 to 9, two deltas at 0 and 5
        assertEquals(List.of(result.key()), archive.keys(DOCUMENT));
        ArchivedRange range = archive.read(DOCUMENT, result.key());
        assertEquals(0, range.fromOffset());
        assertEquals(9, range.toOffset());
        assertEquals(everyEvent.subList(0, 12), range.events());
        assertEquals(
                textAt(9).text(),
                RebuiltDocument.of(DOCUMENT, range.end(), List.of()).text());
        assertEquals(textAt(9).version(), range.end().snapshotVersion());
        assertEquals(everyEvent.subList(12, everyEvent.size()), log.all());
    }

    @Test
    void neverPastTheSnapshotHoweverOldTheEvents() {
        compaction().compact(DOCUMENT, snapshot, minute(60));

        assertTrue(log.all().stream().allMatch(event -> event.kafkaOffset() > SNAPSHOT_OFFSET));
        assertEquals(14, archive.read(DOCUMENT, archive.last()).toOffset());
    }

    @Test
    void aLaterRunStartsWhereTheLastArchiveEndsAndTheChainRebuildsTheText() {
        compaction().compact(DOCUMENT, snapshot, minute(4));
        compaction().compact(DOCUMENT, snapshot, minute(12));
        StoredState later = textAt(19).state();
        compaction().compact(DOCUMENT, later, minute(60));

        List<String> keys = archive.keys(DOCUMENT);
        assertEquals(3, keys.size());
        List<LoggedDelta> archived = new ArrayList<>();
        long expectedFrom = 0;
        for (String key : keys) {
            ArchivedRange range = archive.read(DOCUMENT, key);
            assertEquals(expectedFrom, range.fromOffset());
            expectedFrom = range.toOffset() + 1;
            archived.addAll(range.events());
        }
        assertEquals(everyEvent, archived);
        assertEquals(List.of(), log.all());
        ArchivedRange last = archive.read(DOCUMENT, archive.last());
        assertEquals(
                textAt(19).text(),
                RebuiltDocument.of(DOCUMENT, last.end(), List.of()).text());
        assertEquals(
                textAt(19).text(),
                RebuiltDocument.of(DOCUMENT, RebuiltDocument.EMPTY, BatchEvents.records(DOCUMENT, archived))
                        .text());
    }

    @Test
    void runningTwiceDoesNoHarm() {
        compaction().compact(DOCUMENT, snapshot, minute(10));
        List<LoggedDelta> left = log.all();

        Compaction.Result again = compaction().compact(DOCUMENT, snapshot, minute(10));

        assertEquals(new Compaction.Result(0, 0, null), again);
        assertEquals(left, log.all());
        assertEquals(1, archive.keys(DOCUMENT).size());
    }

    @Test
    void aDocumentWithNothingToDoCostsNoArchiveRead() {
        compaction().compact(DOCUMENT, snapshot, minute(10));
        archive.reads = 0;

        compaction().compact(DOCUMENT, snapshot, minute(10));

        assertEquals(0, archive.reads);
    }

    @Test
    void aRunCutShortAfterTheArchiveIsFinishedByTheNextNothingLostNothingDoubled() {
        log.failDeletesAfter(5); // removes 5 events, then the "crash"
        assertThrows(IllegalStateException.class, () -> compaction().compact(DOCUMENT, snapshot, minute(10)));
        assertEquals(everyEvent.size() - 5, log.all().size());

        Compaction.Result rerun = compaction().compact(DOCUMENT, snapshot, minute(10));

        assertEquals(new Compaction.Result(7, 0, null), rerun);
        assertEquals(everyEvent.subList(12, everyEvent.size()), log.all());
        assertEquals(1, archive.keys(DOCUMENT).size());
        assertEquals(
                everyEvent.subList(0, 12),
                archive.read(DOCUMENT, archive.last()).events());
    }

    @Test
    void anEventMissingFromTheLogStopsTheDocumentBeforeAnythingIsRemoved() {
        log.delete(List.of(everyEvent.get(3)));
        List<LoggedDelta> before = log.all();

        assertThrows(CompactionException.class, () -> compaction().compact(DOCUMENT, snapshot, minute(10)));

        assertEquals(before, log.all());
        assertEquals(List.of(), archive.keys(DOCUMENT));
    }

    @Test
    void aCorruptLatestArchiveIsReportedAndNothingIsRemoved() {
        compaction().compact(DOCUMENT, snapshot, minute(5));
        archive.damage(archive.last());
        List<LoggedDelta> before = log.all();

        CorruptArchiveException corrupt =
                assertThrows(CorruptArchiveException.class, () -> compaction().compact(DOCUMENT, snapshot, minute(10)));

        assertEquals(archive.last(), corrupt.key());
        assertEquals(DOCUMENT, corrupt.documentId());
        assertEquals(before, log.all());
    }

    @Test
    void anEventTheArchiveLacksBehindItsEndIsNeverRemoved() {
        compaction().compact(DOCUMENT, snapshot, minute(10));
        // Written late, behind the archive's end: removing it would lose it.
        LoggedDelta late =
                new LoggedDelta(DOCUMENT, "7:late", 4, 9, everyEvent.get(0).delta(), "", null, null, T0, T0);
        log.write(List.of(late));

        assertThrows(CompactionException.class, () -> compaction().compact(DOCUMENT, snapshot, minute(12)));

        assertTrue(log.all().contains(late));
    }

    @Test
    void aLeaseLostBeforeTheRemovalLeavesTheEventsForTheNextRun() {
        lease.lose();

        assertThrows(CompactionException.class, () -> compaction().compact(DOCUMENT, snapshot, minute(10)));

        assertEquals(everyEvent, log.all());
        assertEquals(1, archive.keys(DOCUMENT).size()); // verified, and finished by the next run
    }

    @Test
    void aDeletedDocumentsEventsGoToTheArchiveWhateverTheirAgeAndTheChainHoldsItsLastText() {
        compaction().compact(DOCUMENT, snapshot, minute(5));

        Compaction.Result result = compaction().compactDeleted(DOCUMENT, 20);

        assertEquals(List.of(), log.all());
        List<LoggedDelta> archived = new ArrayList<>();
        for (String key : archive.keys(DOCUMENT)) {
            archived.addAll(archive.read(DOCUMENT, key).events());
        }
        assertEquals(everyEvent, archived);
        assertEquals(19, archive.read(DOCUMENT, result.key()).toOffset());
        assertEquals(
                textAt(19).text(),
                RebuiltDocument.of(
                                DOCUMENT, archive.read(DOCUMENT, archive.last()).end(), List.of())
                        .text());
        assertEquals(new Compaction.Result(0, 0, null), compaction().compactDeleted(DOCUMENT, 20));
    }

    @Test
    void theCutTakesWholeRecordsOnly() {
        List<LoggedDelta> events = List.of(
                new LoggedDelta(DOCUMENT, "7:a", 1, 1, "{}", "", null, null, T0, T0),
                new LoggedDelta(DOCUMENT, "7:b", 2, 1, "{}", "", null, null, T0, T0),
                new LoggedDelta(DOCUMENT, "7:c", 2, 2, "{}", "", null, null, minute(9), minute(9)));
        assertEquals(1, Compaction.cut(events, minute(5)));
        assertEquals(2, Compaction.cut(events, minute(10)));
        assertEquals(-1, Compaction.cut(events, T0));
    }

    private static final class MemoryLease implements CompactionLease {

        private boolean lost;

        void lose() {
            lost = true;
        }

        @Override
        public boolean hold(UUID documentId) {
            return !lost;
        }

        @Override
        public void release(UUID documentId) {}
    }
}
