package dev.folio.document;

import java.util.List;
import java.util.UUID;

/**
 * The log read back, for a node that opens a document: its records after the one its snapshot
 * covers. Records that arrive later reach the node through {@link DocumentManager#logged}.
 */
public interface DocumentLog {

    /**
     * Every record of the document with an offset above {@code afterOffset}, in offset order, up to
     * at least the end of the log at the time of the call.
     *
     * @param afterOffset the offset of the last record the caller has, or -1 for none
     */
    List<LoggedBatch> after(UUID documentId, long afterOffset);

    /**
     * The offset of the document's last record now, or of the record before where its first
     * would go (-1 for an empty log): what a new document's empty snapshot covers.
     */
    long lastOffset(UUID documentId);

    /**
     * What names this log, so that an offset is never read against another log: the Kafka topic's
     * id and partition count. A topic deleted and created again under its name starts its offsets
     * over, and a partition added moves documents; a snapshot of another log's offsets would then
     * skip every new record as a replay.
     */
    String identity();
}
