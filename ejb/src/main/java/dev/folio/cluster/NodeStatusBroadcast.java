package dev.folio.cluster;

/**
 * Tells the other nodes how this one is; they record it in their {@link ClusterView}. Best effort:
 * the next announcement, a few seconds later, repeats it.
 */
public interface NodeStatusBroadcast {

    void publish(NodeStatus status);
}
