package dev.folio.cluster;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * What a node says of itself every few seconds ({@link NodeStatusBroadcast}): enough for an
 * operator to see that it lives, how loaded it is, how far its part of the pipeline lags, and
 * where its sessions are. {@code leaving} is its last word, sent as it shuts down.
 *
 * @param cpuLoad the process's share of the machine's CPU, 0 to 1, or -1 where the JVM does not tell
 * @param pipeline its delta feed's and event-log writer's lag
 * @param documentSessions its sessions by document, at most {@link #MAX_DOCUMENTS} documents (the
 *     busiest)
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
        Pipeline pipeline,
        Map<UUID, Integer> documentSessions,
        boolean leaving) {

    /** A status names at most this many documents: it travels in one small message every 5 s. */
    public static final int MAX_DOCUMENTS = 200;

    /**
     * A node's part of the event pipeline.
     *
     * @param feedLag records of the topic its delta feed has not read yet
     * @param eventLogLag records of its event-log writer's partitions not yet written to DynamoDB
     * @param eventLogStopped whether its writer stopped at a gap only an operator can mend
     */
    public record Pipeline(long feedLag, long eventLogLag, boolean eventLogStopped) {

        public static final Pipeline UNKNOWN = new Pipeline(-1, -1, false);
    }

    public NodeStatus {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(sentAt, "sentAt");
        Objects.requireNonNull(pipeline, "pipeline");
        documentSessions = Map.copyOf(documentSessions);
        if (node.isBlank() || openDocuments < 0 || sessions < 0) {
            throw new IllegalArgumentException("a node status names its node and counts from zero");
        }
    }
}
