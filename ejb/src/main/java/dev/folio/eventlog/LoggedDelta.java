package dev.folio.eventlog;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * One delta as the event log keeps it.
 *
 * @param documentId the document it changed
 * @param operationId the delta's operation id qualified by its site (e.g. {@code 17:17-1031}): unique
 *     per document, and what makes a redelivered event recognisable
 * @param kafkaOffset the offset of the Kafka record that carried it (0 or more)
 * @param version the document version it produced (1, 2, ...)
 * @param delta the delta, as JSON
 * @param title the document's title when it was accepted
 * @param authorId the document's owner (the design's {@code author_id}), if known
 * @param metadata more about it, as JSON, if any
 * @param createdAt when it was created
 * @param updatedAt when it was last changed (not before {@code createdAt})
 * @param editorId the user who made the edit (the audit trail), or null in events written before
 *     the log named them
 */
public record LoggedDelta(
        UUID documentId,
        String operationId,
        long kafkaOffset,
        long version,
        String delta,
        String title,
        UUID authorId,
        String metadata,
        Instant createdAt,
        Instant updatedAt,
        String editorId) {

    public LoggedDelta {
        Objects.requireNonNull(documentId, "documentId");
        Objects.requireNonNull(operationId, "operationId");
        if (operationId.isBlank()) {
            throw new IllegalArgumentException("operationId is blank");
        }
        if (kafkaOffset < 0) {
            throw new IllegalArgumentException("kafkaOffset " + kafkaOffset + " is negative");
        }
        if (version <= 0) {
            throw new IllegalArgumentException("versions start at 1, not " + version);
        }
        Objects.requireNonNull(delta, "delta");
        if (delta.isBlank()) {
            throw new IllegalArgumentException("delta is blank");
        }
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        if (updatedAt.isBefore(createdAt)) {
            throw new IllegalArgumentException("updatedAt " + updatedAt + " is before createdAt " + createdAt);
        }
    }

    /** An event whose editor is not known (written before the log named editors). */
    public LoggedDelta(
            UUID documentId,
            String operationId,
            long kafkaOffset,
            long version,
            String delta,
            String title,
            UUID authorId,
            String metadata,
            Instant createdAt,
            Instant updatedAt) {
        this(
                documentId,
                operationId,
                kafkaOffset,
                version,
                delta,
                title,
                authorId,
                metadata,
                createdAt,
                updatedAt,
                null);
    }
}
