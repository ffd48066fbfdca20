package dev.folio.access;

import java.util.Objects;
import java.util.UUID;

/**
 * A user's role on a document changed or was removed. Fired as a CDI event on the node where it
 * happened, once its transaction committed, and on every other node as it arrives there ({@link
 * AccessChangeBroadcast}), so that the user's open sessions are looked up again at once rather
 * than at their next periodic check.
 */
public record AccessChange(UUID documentId, String userId) {

    public AccessChange {
        Objects.requireNonNull(documentId, "documentId");
        Objects.requireNonNull(userId, "userId");
    }
}
