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
     * Stores one delta event, unless this operation of this document is already logged, whatever
     * offset it came with (a redelivery from Kafka at the same offset, or the same operation
     * republished under a new one).
     *
     * @return true if it was stored, false if the operation was already logged (nothing changed)
     */
    boolean append(LoggedDelta event);

    /**
     * The document's events with a Kafka offset greater than {@code afterOffset}, in offset order, at
     * most {@code limit}. Pass -1 to start from the beginning, and the last offset returned to read on.
     */
    List<LoggedDelta> replay(UUID documentId, long afterOffset, int limit);
}
