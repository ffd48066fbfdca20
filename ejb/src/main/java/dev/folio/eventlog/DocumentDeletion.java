package dev.folio.eventlog;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A document's deletion as the log carried it: every event of the document lies before {@code
 * kafkaOffset}.
 *
 * @param deletedAt the deletion record's time
 */
public record DocumentDeletion(UUID documentId, long kafkaOffset, Instant deletedAt) {

    public DocumentDeletion {
        Objects.requireNonNull(documentId, "documentId");
        Objects.requireNonNull(deletedAt, "deletedAt");
    }
}
