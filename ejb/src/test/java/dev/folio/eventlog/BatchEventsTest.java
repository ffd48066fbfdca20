package dev.folio.eventlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.folio.document.Document;
import dev.folio.document.LogLimits;
import dev.folio.document.LoggedBatch;
import dev.folio.document.SubmittedDelta;
import dev.folio.document.json.JsonDeltaCodec;
import dev.folio.lseq.InvalidDeltaException;
import dev.folio.lseq.Replica;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
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
            deltas.add(new SubmittedDelta(
                    site + "-" + offset + ":" + text, site, new Replica(site).insert(0, text), "user-" + site));
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

    /** The audit trail: an event names who made the edit, not the document's owner. */
    @Test
    void eachEventNamesTheUserWhoMadeItsDelta() {
        List<LoggedDelta> events = BatchEvents.events(record(42, "ab", "c"), "Notes", AUTHOR, AT);
        assertEquals(
                List.of("user-17", "user-18"),
                events.stream().map(LoggedDelta::editorId).toList());
        assertEquals(AUTHOR, events.get(1).authorId(), "the owner stays where it was");
    }

    @Test
    void anEventFromBeforeEditorsWereKeptReadsWithNoEditor() {
        LoggedDelta old = new LoggedDelta(
                DOCUMENT,
                "17:17-1",
                4,
                1,
                JsonDeltaCodec.encode(new Replica(17).insert(0, "a")),
                "",
                AUTHOR,
                null,
                AT,
                AT);
        assertNull(old.editorId());
        assertNull(BatchEvents.records(DOCUMENT, List.of(old))
                .get(0)
                .deltas()
                .get(0)
                .userId());
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

    /** The delta as the event log holds it is what the document measured against its limit. */
    @Test
    void anEventsDeltaIsTheJsonTheDocumentMeasures() {
        LoggedBatch record = record(7, "héllo 😀");
        String json = BatchEvents.events(record, "Notes", AUTHOR, AT).get(0).delta();
        assertEquals(JsonDeltaCodec.encode(record.deltas().get(0).delta()), json);
    }

    /**
     * The event of the largest delta a document takes, with everything else as large as it can be
     * (a 128-character opId and a 200-character title of 3-byte characters, the largest site and
     * offset, timestamps of year 1,000,000,000), fits one DynamoDB item, with most of the allowance
     * to spare.
     */
    @Test
    void theEventOfTheLargestDeltaADocumentTakesFitsADynamoDbItem() {
        LoggedDelta largest = new LoggedDelta(
                DOCUMENT,
                Integer.MAX_VALUE + ":" + "€".repeat(128),
                Long.MAX_VALUE,
                256,
                "x".repeat(LogLimits.MAX_DELTA_JSON_BYTES),
                "€".repeat(Document.MAX_TITLE_LENGTH),
                AUTHOR,
                "{\"site\":" + Integer.MAX_VALUE + "}",
                Instant.MAX,
                Instant.MAX);
        int besidesTheDelta = itemBytes(largest) - LogLimits.MAX_DELTA_JSON_BYTES;
        assertTrue(besidesTheDelta <= 2_048, besidesTheDelta + " bytes besides the delta");
        assertTrue(besidesTheDelta <= LogLimits.EVENT_ITEM_ALLOWANCE_BYTES);
        assertTrue(itemBytes(largest) <= LogLimits.DYNAMODB_MAX_ITEM_BYTES);
    }

    /**
     * What DynamoDB counts of the item {@code DynamoDbEventLog} writes for {@code event}: every
     * attribute's name and value in UTF-8, a number at most 21 bytes.
     */
    private static int itemBytes(LoggedDelta event) {
        Map<String, String> strings = Map.of(
                "pk", DynamoDbEventLog.pk(event.documentId(), event.operationId()),
                "sk", DynamoDbEventLog.sk(event.documentId(), event.kafkaOffset()),
                "documentId", event.documentId().toString(),
                "delta", event.delta(),
                "title", event.title(),
                "author_id", event.authorId().toString(),
                "metadata", event.metadata(),
                "created_at", event.createdAt().toString(),
                "updated_at", event.updatedAt().toString());
        int bytes = 0;
        for (Map.Entry<String, String> attribute : strings.entrySet()) {
            bytes += utf8(attribute.getKey()) + utf8(attribute.getValue());
        }
        for (String number : List.of("kafkaOffset", "version")) {
            bytes += utf8(number) + 21;
        }
        return bytes;
    }

    private static int utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }
}
