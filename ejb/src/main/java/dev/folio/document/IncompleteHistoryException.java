package dev.folio.document;

import jakarta.ejb.ApplicationException;
import java.util.UUID;

/**
 * A document cannot be opened because part of its history is in neither store: Kafka no longer
 * keeps the records after its snapshot, and the event-log writer never wrote them to the event log.
 * Opening it anyway would show it without acknowledged edits, and its next snapshot would make that
 * permanent, so it stays closed until an operator restores the history (docs/operations.md).
 */
@ApplicationException
public class IncompleteHistoryException extends RuntimeException {

    /** The error code clients and the API see. */
    public static final String CODE = "history-incomplete";

    public IncompleteHistoryException(UUID documentId, String why) {
        super("document " + documentId + " cannot be opened: " + why);
    }
}
