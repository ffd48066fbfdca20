package dev.folio.eventlog;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The durable log of every delta consumed from Kafka: one entry per operation of a document, read
 * back per document in Kafka-offset order to rebuild a replica from a snapshot plus the events after
 * it.
 */
public interface EventLog {

    /**
     * Stores one delta event, unless this operation is already logged at this offset (a record
     * consumed again). The same operation at another offset is another event: the event log holds
     * what the log holds.
     *
     * @return true if it was stored, false if it was there already (nothing changed)
     */
    boolean append(LoggedDelta event);

    /**
     * Stores the events, many per request: each is one operation at one offset, so storing one that
     * is there already changes nothing (at-least-once writers may). Returns once all are stored.
     */
    void write(List<LoggedDelta> events);

    /**
     * The document's events with a Kafka offset greater than {@code afterOffset}, in offset order, at
     * most {@code limit}. Pass -1 to start from the beginning, and the last offset returned to read on.
     */
    List<LoggedDelta> replay(UUID documentId, long afterOffset, int limit);

    /** Every document with an event in the log (disaster recovery finds documents by them). */
    Set<UUID> documentIds();

    /**
     * The document's events after {@code afterOffset} up to {@code throughOffset}, in log order, read
     * page by page; a page that ends inside a record leaves that record to the next page, so every
     * record comes whole.
     */
    default List<LoggedDelta> replayRange(UUID documentId, long afterOffset, long throughOffset) {
        List<LoggedDelta> events = new ArrayList<>();
        long cursor = afterOffset;
        int limit = REPLAY_PAGE;
        while (cursor < throughOffset) {
            List<LoggedDelta> page = replay(documentId, cursor, limit);
            boolean full = page.size() == limit;
            if (full) {
                long last = page.get(page.size() - 1).kafkaOffset();
                page = before(page, last);
                if (page.isEmpty()) {
                    limit *= 2; // one record fills the page: read it whole
                    continue;
                }
            }
            events.addAll(throughOffset == Long.MAX_VALUE ? page : before(page, throughOffset + 1));
            if (!full) {
                break;
            }
            cursor = page.get(page.size() - 1).kafkaOffset();
        }
        return events;
    }

    /** Events per page of {@link #replayRange}. */
    int REPLAY_PAGE = 5_000;

    /** The leading events with offsets below {@code offset} (events in log order). */
    static List<LoggedDelta> before(List<LoggedDelta> events, long offset) {
        int end = 0;
        while (end < events.size() && events.get(end).kafkaOffset() < offset) {
            end++;
        }
        return events.subList(0, end);
    }

    /**
     * Removes the events, many per request: the compactor's, once a verified archive holds them.
     * Removing one that is not there changes nothing, so an interrupted removal can be run again.
     */
    void delete(List<LoggedDelta> events);
}
