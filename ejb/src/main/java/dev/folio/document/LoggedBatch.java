package dev.folio.document;

import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * One record of the log (a Kafka record): the deltas one node published together for one document,
 * the news that the document was deleted, or the news that a batch the bridge could not put in the
 * log was dropped ({@code dropped}: its deltas are named, site and opId, with no operations). Every
 * node reads the same records of a document in the same order, and {@code offset} (the record's
 * offset in its partition) grows along it.
 */
public record LoggedBatch(UUID documentId, long offset, List<SubmittedDelta> deltas, boolean deleted, boolean dropped) {

    public LoggedBatch {
        Objects.requireNonNull(documentId, "documentId");
        if (offset < 0) {
            throw new IllegalArgumentException("offsets start at 0, not " + offset);
        }
        deltas = List.copyOf(deltas);
        if (deleted && !deltas.isEmpty()) {
            throw new IllegalArgumentException("a deletion carries no deltas");
        }
        if (deleted && dropped) {
            throw new IllegalArgumentException("a record is a deletion or a dropped batch, not both");
        }
    }

    public LoggedBatch(UUID documentId, long offset, List<SubmittedDelta> deltas, boolean deleted) {
        this(documentId, offset, deltas, deleted, false);
    }

    static LoggedBatch of(UUID documentId, long offset, List<SubmittedDelta> deltas) {
        return new LoggedBatch(documentId, offset, deltas, false);
    }
}
