package dev.folio.document.socket;

import dev.folio.lseq.Delta;

/** A frame a client sends (docs/protocol.md). */
sealed interface ClientFrame {

    /** @param site the site the client edits as, or 0 to be given one; @param version -1 for none */
    record Join(int site, long version) implements ClientFrame {}

    record DeltaFrame(String opId, Delta delta) implements ClientFrame {}

    record Ping() implements ClientFrame {}
}
