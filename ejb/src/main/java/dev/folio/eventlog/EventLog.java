package dev.folio.eventlog;

import java.util.List;
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

    /**
     * Removes the events, many per request: the compactor's, once a verified archive holds them.
     * Removing one that is not there changes nothing, so an interrupted removal can be run again.
     */
    void delete(List<LoggedDelta> events);
}
