package dev.folio.eventlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.folio.document.LoggedBatch;
import dev.folio.document.SubmittedDelta;
import dev.folio.lseq.InvalidDeltaException;
import dev.folio.lseq.Replica;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class BatchEventsTest {

    private static final UUID DOCUMENT = UUID.fromString("6f1c1a52-3f0e-4c4e-9d64-0f2b4a3c5d11");
    private static final UUID AUTHOR = UUID.fromString("0b7e6f3a-1111-4c4e-9d64-0f2b4a3c5d11");
    private static final Instant AT = Instant.parse("2026-11-23T10:00:00Z");

    private static LoggedBatch record(long offset, String... texts) {
        List<SubmittedDelta> deltas = new ArrayList<>();
        int site = 17;
        for (String text : texts) {
            deltas.add(new SubmittedDelta(site + "-" + offset + ":" + text, site, new Replica(site).insert(0, text)));
            site++;
        }
        return new LoggedBatch(DOCUMENT, offset, deltas, false);
    }

    @Test
    void eachDeltaIsAnEventAtItsRecordsOffsetAndItsPosition() {
        List<LoggedDelta> events = BatchEvents.events(record(42, "ab", "c"), "Notes", AUTHOR, AT);
        assertEquals(2, events.size());
        LoggedDelta second = events.get(1);
        assertEquals(DOCUMENT, second.documentId());
        assertEquals("18:18-42:c", second.operationId());
        assertEquals(42, second.kafkaOffset());
        assertEquals(2, second.version());
        assertEquals("Notes", second.title());
        assertEquals(AUTHOR, second.authorId());
        assertEquals("{\"site\":18}", second.metadata());
        assertEquals(AT, second.createdAt());
        assertEquals(AT, second.updatedAt());
        assertTrue(second.delta().startsWith("{\"ops\":["));
    }

    @Test
    void aDeletionHasNoEvents() {
        assertTrue(BatchEvents.events(new LoggedBatch(DOCUMENT, 3, List.of(), true), "", null, AT)
                .isEmpty());
    }

    @Test
    void eventsComeBackAsTheirRecordsWhateverOrderTheyArriveIn() {
        List<LoggedBatch> records = List.of(record(3, "a", "b", "c"), record(8, "d"), record(9, "e", "f"));
        List<LoggedDelta> events = new ArrayList<>();
        for (LoggedBatch record : records) {
            events.addAll(BatchEvents.events(record, "", null, AT));
        }
        Collections.reverse(events);
        assertEquals(records, BatchEvents.records(DOCUMENT, events));
        assertEquals(List.of(), BatchEvents.records(DOCUMENT, List.of()));
        assertNull(BatchEvents.events(record(1, "x"), "", null, AT).get(0).authorId());
    }

    @Test
    void anEventNotWrittenByEventsIsInvalid() {
        LoggedDelta noSite = new LoggedDelta(DOCUMENT, "17-1", 0, 1, "{\"ops\":[]}", "", null, null, AT, AT);
        assertThrows(InvalidDeltaException.class, () -> BatchEvents.records(DOCUMENT, List.of(noSite)));
        LoggedDelta badDelta = new LoggedDelta(DOCUMENT, "17:17-1", 0, 1, "{\"ops\":3}", "", null, null, AT, AT);
        assertThrows(InvalidDeltaException.class, () -> BatchEvents.records(DOCUMENT, List.of(badDelta)));
        LoggedDelta other = new LoggedDelta(UUID.randomUUID(), "17:17-1", 0, 1, "{\"ops\":[]}", "", null, null, AT, AT);
        assertThrows(IllegalArgumentException.class, () -> BatchEvents.records(DOCUMENT, List.of(other)));
    }
}
