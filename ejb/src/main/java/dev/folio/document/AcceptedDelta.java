package dev.folio.document;

import dev.folio.lseq.Delta;
import java.util.Objects;

/**
 * A delta as the log gave it to the document: its version (1, 2, ... per document, the same on
 * every node), the client's operation id, the site that sent it, only the operations that changed
 * something, and the offset of the log record that carried it.
 */
public record AcceptedDelta(long version, String opId, int site, Delta delta, long offset) {

    public AcceptedDelta {
        if (version <= 0) {
            throw new IllegalArgumentException("versions start at 1");
        }
        Objects.requireNonNull(opId, "opId");
        Objects.requireNonNull(delta, "delta");
        if (offset < 0) {
            throw new IllegalArgumentException("offsets start at 0");
        }
    }
}
