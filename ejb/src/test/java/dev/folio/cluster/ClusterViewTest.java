package dev.folio.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ClusterViewTest {

    private static final Instant T0 = Instant.parse("2026-12-07T12:00:00Z");

    private static NodeStatus status(String node, int sessions, boolean leaving) {
        return new NodeStatus(node, T0, T0, 0, sessions, 1, 2, 0.5, NodeStatus.Pipeline.UNKNOWN, Map.of(), leaving);
    }

    @Test
    void theLatestStatusOfEachNodeIsShownByName() {
        ClusterView view = new ClusterView();
        view.heard(status("b", 1, false), T0);
        view.heard(status("a", 1, false), T0);
        view.heard(status("b", 7, false), T0.plusSeconds(5));
        List<ClusterView.HeardNode> nodes = view.nodes(T0.plusSeconds(6));
        assertEquals(
                List.of("a", "b"), nodes.stream().map(n -> n.status().node()).toList());
        assertEquals(7, nodes.get(1).status().sessions());
    }

    @Test
    void aNodeThatLeavesIsDroppedAtOnceAndOneThatFellSilentIsShownSoThenForgotten() {
        ClusterView view = new ClusterView();
        view.heard(status("a", 0, false), T0);
        view.heard(status("b", 0, false), T0);
        view.heard(status("b", 0, true), T0.plusSeconds(1));
        assertEquals(1, view.nodes(T0.plusSeconds(1)).size());

        Instant later = T0.plus(ClusterView.SILENT_AFTER).plusSeconds(1);
        assertFalse(view.nodes(T0.plusSeconds(2)).get(0).isSilent(T0.plusSeconds(2)));
        assertTrue(view.nodes(later).get(0).isSilent(later));
        assertEquals(
                0,
                view.nodes(T0.plus(ClusterView.FORGET_AFTER).plus(Duration.ofSeconds(1)))
                        .size());
    }

    @Test
    void sessionsByDocumentAddUpTheLiveNodesAndLeaveOutSilentOnes() {
        ClusterView view = new ClusterView();
        UUID document = UUID.randomUUID();
        view.heard(withSessions("a", Map.of(document, 2)), T0);
        view.heard(withSessions("b", Map.of(document, 3)), T0.plus(ClusterView.SILENT_AFTER));
        Instant now = T0.plus(ClusterView.SILENT_AFTER).plusSeconds(1);
        assertEquals(Map.of(document, Map.of("b", 3)), view.sessionsByDocument(now));
    }

    private static NodeStatus withSessions(String node, Map<UUID, Integer> sessions) {
        return new NodeStatus(node, T0, T0, 1, 1, 1, 2, 0.5, NodeStatus.Pipeline.UNKNOWN, sessions, false);
    }
}
