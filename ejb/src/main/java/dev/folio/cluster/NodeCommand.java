package dev.folio.cluster;

import java.util.Objects;
import java.util.UUID;

/**
 * What an administrator asks of every node for one document. Carried out on the node where it was
 * asked at once, and on the others as it arrives ({@link NodeCommandBroadcast}), where it is fired
 * as a CDI event.
 */
public record NodeCommand(Kind kind, UUID documentId) {

    public enum Kind {
        /** Closes the document's sessions; their clients join again (on any node). */
        CLOSE_SESSIONS,
        /**
         * Unloads the document: its sessions are closed and the next join reads it anew from its
         * snapshot and the log, as after a node restart.
         */
        UNLOAD
    }

    public NodeCommand {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(documentId, "documentId");
    }
}
