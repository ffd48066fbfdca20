package dev.folio.cluster;

/**
 * Tells the other nodes to carry out a {@link NodeCommand}. Best effort, like the node statuses: a
 * node that misses it (its messaging away) is not told again, and the caller says so.
 */
public interface NodeCommandBroadcast {

    /** @return whether the command was handed to the messaging */
    boolean publish(NodeCommand command);
}
