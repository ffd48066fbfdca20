package dev.folio.eventlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class LoggedDeltaTest {

    private static final UUID DOCUMENT = UUID.fromString("6f1c1a52-3f0e-4c4e-9d64-0f2b4a3c5d11");
    private static final Instant CREATED = Instant.parse("2026-11-23T10:00:00Z");

    private static LoggedDelta delta(String operationId, long offset, long version, Instant updated) {
        return new LoggedDelta(
                DOCUMENT, operationId, offset, version, "{\"ops\":[]}", "Notes", null, null, CREATED, updated);
    }

    @Test
    void aValidEventKeepsItsFieldsAndMayLackAuthorAndMetadata() {
        LoggedDelta event = delta("17:17-1031", 0, 1, CREATED);
        assertEquals("17:17-1031", event.operationId());
        assertEquals(0, event.kafkaOffset());
        assertNull(event.authorId());
        assertNull(event.metadata());
    }

    @Test
    void idsDeltaTitleAndTimesAreRequired() {
        assertThrows(
                NullPointerException.class,
                () -> new LoggedDelta(null, "1:1-1", 0, 1, "{}", "t", null, null, CREATED, CREATED));
        assertThrows(NullPointerException.class, () -> delta(null, 0, 1, CREATED));
        assertThrows(IllegalArgumentException.class, () -> delta(" ", 0, 1, CREATED));
        assertThrows(
                NullPointerException.class,
                () -> new LoggedDelta(DOCUMENT, "1:1-1", 0, 1, null, "t", null, null, CREATED, CREATED));
        assertThrows(
                NullPointerException.class,
                () -> new LoggedDelta(DOCUMENT, "1:1-1", 0, 1, "{}", null, null, null, CREATED, CREATED));
        assertThrows(
                NullPointerException.class,
                () -> new LoggedDelta(DOCUMENT, "1:1-1", 0, 1, "{}", "t", null, null, null, CREATED));
        assertThrows(NullPointerException.class, () -> delta("1:1-1", 0, 1, null));
    }

    @Test
    void offsetsAreNotNegativeVersionsStartAtOneAndUpdatesDoNotPrecedeCreation() {
        assertThrows(IllegalArgumentException.class, () -> delta("1:1-1", -1, 1, CREATED));
        assertThrows(IllegalArgumentException.class, () -> delta("1:1-1", 0, 0, CREATED));
        assertThrows(IllegalArgumentException.class, () -> delta("1:1-1", 0, 1, CREATED.minusMillis(1)));
    }
}
