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
}
