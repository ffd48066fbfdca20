package dev.folio.cluster;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The nodes this node has heard from, itself included, as the admin console shows them: each with
 * its last status and when it was heard. Nodes announce themselves over the messaging every few
 * seconds, so no node is configured anywhere; one that left says so and is dropped at once, one
 * that went silent is shown as silent, and forgotten after {@link #FORGET_AFTER}.
 */
@ApplicationScoped
public class ClusterView {

    /** A node not heard from for this long is shown as silent: it announces every 5 s. */
    public static final Duration SILENT_AFTER = Duration.ofSeconds(15);

    static final Duration FORGET_AFTER = Duration.ofMinutes(10);

    /** A node as last heard. */
    public record HeardNode(NodeStatus status, Instant heardAt) {

        public boolean isSilent(Instant now) {
            return heardAt.plus(SILENT_AFTER).isBefore(now);
        }
    }

    private final ConcurrentHashMap<String, HeardNode> nodes = new ConcurrentHashMap<>();

    /** Records a status heard now, or drops its node if it is leaving. */
    public void heard(NodeStatus status, Instant now) {
        if (status.leaving()) {
            nodes.remove(status.node());
        } else {
            nodes.put(status.node(), new HeardNode(status, now));
        }
    }

    /**
     * The sessions on each document by node, as the live nodes last said (up to one announcement
     * old); documents with no session are absent.
     */
    public Map<UUID, Map<String, Integer>> sessionsByDocument(Instant now) {
        Map<UUID, Map<String, Integer>> sessions = new HashMap<>();
        for (HeardNode heard : nodes(now)) {
            if (!heard.isSilent(now)) {
                heard.status().documentSessions().forEach((document, count) -> sessions.computeIfAbsent(
                                document, any -> new TreeMap<>())
                        .put(heard.status().node(), count));
            }
        }
        return sessions;
    }

    /** The nodes heard within {@link #FORGET_AFTER}, by name. */
    public List<HeardNode> nodes(Instant now) {
        nodes.values().removeIf(node -> node.heardAt().plus(FORGET_AFTER).isBefore(now));
        return nodes.values().stream()
                .sorted(Comparator.comparing(node -> node.status().node()))
                .toList();
    }
}
