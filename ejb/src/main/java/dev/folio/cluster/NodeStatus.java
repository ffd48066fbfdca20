package dev.folio.cluster;

import java.time.Instant;
import java.util.Objects;

/**
 * What a node says of itself every few seconds ({@link NodeStatusBroadcast}): enough for an
 * operator to see that it lives and how loaded it is. {@code leaving} is its last word, sent as it
 * shuts down.
 *
 * @param cpuLoad the process's share of the machine's CPU, 0 to 1, or -1 where the JVM does not tell
 */
public record NodeStatus(
        String node,
        Instant startedAt,
        Instant sentAt,
        int openDocuments,
        int sessions,
        long heapUsedBytes,
        long heapMaxBytes,
        double cpuLoad,
        boolean leaving) {

    public NodeStatus {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(sentAt, "sentAt");
        if (node.isBlank() || openDocuments < 0 || sessions < 0) {
            throw new IllegalArgumentException("a node status names its node and counts from zero");
        }
    }
}
