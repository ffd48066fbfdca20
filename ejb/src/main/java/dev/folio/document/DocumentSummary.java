package dev.folio.document;

import java.time.LocalDateTime;
import java.util.UUID;

/** What lists and reads show of a document besides its text. Timestamps are UTC. */
public record DocumentSummary(
        UUID id, String title, UUID authorId, long version, LocalDateTime createdAt, LocalDateTime updatedAt) {

    static DocumentSummary of(Document document) {
        return new DocumentSummary(
                document.id(),
                document.title(),
                document.authorId(),
                document.version(),
                document.createdAt(),
                document.updatedAt());
    }

    DocumentSummary atVersion(long liveVersion) {
        return new DocumentSummary(id, title, authorId, liveVersion, createdAt, updatedAt);
    }
}
