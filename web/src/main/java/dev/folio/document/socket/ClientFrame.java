package dev.folio.document.socket;

import dev.folio.lseq.Delta;
import dev.folio.lseq.Identifier;

/** A frame a client sends (docs/protocol.md). */
sealed interface ClientFrame {

    /** @param site the site the client edits as, or 0 to be given one; @param version -1 for none */
    record Join(int site, long version) implements ClientFrame {}

    record DeltaFrame(String opId, Delta delta) implements ClientFrame {}

    record Ping() implements ClientFrame {}

    /** A fresh access token for the session, sent before the one it opened with expires. */
    record Auth(String token) implements ClientFrame {}

    /** Who the client is and where its caret is; {@code caret} null when it has none (no focus). */
    record Presence(String name, Caret caret) implements ClientFrame {}

    /**
     * A selection from {@code anchor} to {@code head} (equal for a plain caret): each the identifier
     * of the character just before it, or null for the start of the document.
     */
    record Caret(Identifier anchor, Identifier head) {}
}
