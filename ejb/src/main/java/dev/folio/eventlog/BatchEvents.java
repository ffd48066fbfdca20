package dev.folio.eventlog;

import dev.folio.document.LoggedBatch;
import dev.folio.document.SubmittedDelta;
import dev.folio.document.json.JsonDeltaCodec;
import dev.folio.lseq.InvalidDeltaException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

/**
 * A log record as event-log entries, one per delta, and back. The event log keeps each delta with
 * the offset of the record that carried it and, as its {@code version}, its position in that record
 * (1, 2, ...): (offset, version) orders a document's events as the log does. Its operation id is
 * the delta's site and client operation id, {@code site:opId}, unique within a document; its editor
 * is the user whose session sent the delta, and its author the document's owner.
 */
public final class BatchEvents {

    private BatchEvents() {}

    /** A record's deltas as events; a deletion has none. */
    public static List<LoggedDelta> events(LoggedBatch record, String title, UUID authorId, Instant at) {
        List<LoggedDelta> events = new ArrayList<>(record.deltas().size());
        int position = 0;
        for (SubmittedDelta delta : record.deltas()) {
            position++;
            events.add(new LoggedDelta(
                    record.documentId(),
                    delta.site() + ":" + delta.opId(),
                    record.offset(),
                    position,
                    JsonDeltaCodec.encode(delta.delta()),
                    title,
                    authorId,
                    "{\"site\":" + delta.site() + "}",
                    at,
                    at,
                    delta.userId()));
        }
        return events;
    }

    /**
     * One document's events back as its records, in offset order, each record's deltas in the order
     * they had in it. A record the event log holds no delta of (a deletion) does not come back.
     *
     * @throws InvalidDeltaException if an event does not hold a delta as {@link #events} writes it
     */
    public static List<LoggedBatch> records(UUID documentId, List<LoggedDelta> events) {
        List<LoggedDelta> ordered = new ArrayList<>(events);
        ordered.sort(Comparator.comparingLong(LoggedDelta::kafkaOffset).thenComparingLong(LoggedDelta::version));
        List<LoggedBatch> records = new ArrayList<>();
        List<SubmittedDelta> deltas = new ArrayList<>();
        long offset = -1;
        for (LoggedDelta event : ordered) {
            if (!event.documentId().equals(documentId)) {
                throw new IllegalArgumentException("an event of " + event.documentId() + " among " + documentId + "'s");
            }
            if (event.kafkaOffset() != offset && !deltas.isEmpty()) {
                records.add(new LoggedBatch(documentId, offset, deltas, false));
                deltas.clear();
            }
            offset = event.kafkaOffset();
            deltas.add(delta(event));
        }
        if (!deltas.isEmpty()) {
            records.add(new LoggedBatch(documentId, offset, deltas, false));
        }
        return records;
    }

    private static SubmittedDelta delta(LoggedDelta event) {
        String operationId = event.operationId();
        int colon = operationId.indexOf(':');
        try {
            int site = Integer.parseInt(operationId.substring(0, Math.max(colon, 0)));
            return new SubmittedDelta(
                    operationId.substring(colon + 1), site, JsonDeltaCodec.decode(event.delta()), event.editorId());
        } catch (IllegalArgumentException e) {
            // A NumberFormatException, or an opId SubmittedDelta refuses.
            throw new InvalidDeltaException(
                    "event " + operationId + " at offset " + event.kafkaOffset() + ": " + e.getMessage(), e);
        }
    }
}
