package dev.folio.access;

/**
 * Tells the other nodes that a user's role on a document changed; they fire it there as a CDI
 * event of {@link AccessChange}. Best effort: every node looks each session's role up again every
 * few seconds anyway, so a lost message only delays the change to that.
 */
public interface AccessChangeBroadcast {

    /** Sends the change with the caller's transaction: nothing is sent for a change rolled back. */
    void publish(AccessChange change);
}
