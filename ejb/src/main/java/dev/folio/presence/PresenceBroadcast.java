package dev.folio.presence;

/**
 * Tells the other nodes about presence changes on this one; they arrive there as CDI events of
 * {@link PresenceChange}. Best effort: presence is ephemeral, and a lost change is repaired by the
 * next refresh.
 */
public interface PresenceBroadcast {

    /** This node's name, as other nodes see it in {@link PresenceChange#node()}. */
    String node();

    void publish(PresenceChange change);
}
