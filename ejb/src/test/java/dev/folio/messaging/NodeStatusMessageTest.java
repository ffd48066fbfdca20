package dev.folio.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.folio.cluster.NodeStatus;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class NodeStatusMessageTest {

    @Test
    void sessionsByDocumentTravelAsTextAndComeBackTheSame() {
        Map<UUID, Integer> sessions = Map.of(UUID.randomUUID(), 3, UUID.randomUUID(), 1);
        NodeStatus status = new NodeStatus(
                "n", Instant.EPOCH, Instant.EPOCH, 2, 4, 1, 2, 0.1, NodeStatus.Pipeline.UNKNOWN, sessions, false);
        assertEquals(
                sessions, JmsNodeStatusBroadcast.documentSessionsOf(JmsNodeStatusBroadcast.documentSessions(status)));
        assertEquals(Map.of(), JmsNodeStatusBroadcast.documentSessionsOf(""));
        assertEquals(Map.of(), JmsNodeStatusBroadcast.documentSessionsOf(null));
    }
}
