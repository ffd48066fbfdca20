package dev.folio.document;

import dev.folio.lseq.Delta;
import java.util.Objects;

/**
 * A delta the document accepted: its version (1, 2, ... per document), the client's operation id,
 * the site that sent it, and only the operations that changed something.
 */
public record AcceptedDelta(long version, String opId, int site, Delta delta) {

    public AcceptedDelta {
        if (version <= 0) {
            throw new IllegalArgumentException("versions start at 1");
        }
        Objects.requireNonNull(opId, "opId");
        Objects.requireNonNull(delta, "delta");
    }
}
