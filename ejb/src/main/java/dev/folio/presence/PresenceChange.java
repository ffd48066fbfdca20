package dev.folio.presence;

import java.util.Objects;
import java.util.UUID;

/**
 * A session's presence on a document changed on some node: its presence frame as clients receive
 * it (docs/protocol.md, "presence"), or null when the session left. Never stored.
 *
 * @param node the node the session is on
 */
public record PresenceChange(UUID documentId, String node, int site, String frame) {

    public PresenceChange {
        Objects.requireNonNull(documentId, "documentId");
        Objects.requireNonNull(node, "node");
        if (site <= 0) {
            throw new IllegalArgumentException("sites start at 1, not " + site);
        }
    }

    public boolean left() {
        return frame == null;
    }
}
