package dev.folio.archive;

import dev.folio.document.StoredState;
import dev.folio.eventlog.LoggedDelta;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * One archive object: a document's events with Kafka offsets from {@code fromOffset} to {@code
 * toOffset}, and its snapshot at {@code toOffset} ({@code end}), so that a restore to any point after
 * it needs nothing older.
 *
 * @param end the document at {@code toOffset}: its snapshot (null if it had no edit), version and
 *     offset
 * @param events in log order (offset, then position in the record)
 */
public record ArchivedRange(
        UUID documentId, long fromOffset, long toOffset, StoredState end, List<LoggedDelta> events) {

    /** Where every document's archives are, each under its id. */
    public static final String PREFIX = "documents/";

    public ArchivedRange {
        Objects.requireNonNull(documentId, "documentId");
        Objects.requireNonNull(end, "end");
        events = List.copyOf(events);
        if (fromOffset < 0 || toOffset < fromOffset) {
            throw new IllegalArgumentException("no offset range from " + fromOffset + " to " + toOffset);
        }
        for (LoggedDelta event : events) {
            if (!event.documentId().equals(documentId)
                    || event.kafkaOffset() < fromOffset
                    || event.kafkaOffset() > toOffset) {
                throw new IllegalArgumentException("event " + event.operationId() + " of " + event.documentId()
                        + " at offset " + event.kafkaOffset() + " is outside " + key());
            }
        }
    }

    /**
     * Its object key, {@code documents/<documentId>/<fromOffset>-<toOffset>.json.gz} with the offsets
     * in 19 digits: the same range always has the same key, and a document's keys list in offset
     * order.
     */
    public String key() {
        return String.format("%s%019d-%019d.json.gz", prefix(documentId), fromOffset, toOffset);
    }

    /**
     * The last offset the archive under {@code key} covers, as its key names it.
     *
     * @throws CorruptArchiveException if the key names no range (an object Folio did not write)
     */
    public static long toOffsetOf(UUID documentId, String key) {
        String name = key.substring(key.lastIndexOf('/') + 1);
        int dash = name.indexOf('-');
        int dot = name.indexOf('.');
        try {
            return Long.parseLong(name.substring(dash + 1, dot));
        } catch (IndexOutOfBoundsException | NumberFormatException e) {
            throw new CorruptArchiveException(documentId, key, "its key names no offset range", e);
        }
    }

    /** The prefix of every key of the document's archives. */
    public static String prefix(UUID documentId) {
        return PREFIX + documentId + "/";
    }
}
