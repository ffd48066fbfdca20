package dev.folio.admin;

import dev.folio.cluster.ClusterView;
import dev.folio.cluster.NodeStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** The cluster as the admin console shows it: its nodes, and the sessions on each document by node. */
@ApplicationScoped
public class NodesView {

    @Inject
    ClusterView cluster;

    /** Every node heard from lately, with its open documents, sessions, heap, CPU and lags. */
    public JsonArray nodes(Instant now) {
        JsonArrayBuilder list = Json.createArrayBuilder();
        for (ClusterView.HeardNode heard : cluster.nodes(now)) {
            NodeStatus status = heard.status();
            list.add(Json.createObjectBuilder()
                    .add("node", status.node())
                    .add("startedAt", status.startedAt().toString())
                    .add("heardAt", heard.heardAt().toString())
                    .add("silent", heard.isSilent(now))
                    .add("openDocuments", status.openDocuments())
                    .add("sessions", status.sessions())
                    .add("heapUsedBytes", status.heapUsedBytes())
                    .add("heapMaxBytes", status.heapMaxBytes())
                    .add("cpuLoad", status.cpuLoad())
                    .add("feedLag", status.pipeline().feedLag())
                    .add("eventLogLag", status.pipeline().eventLogLag())
                    .add("eventLogStopped", status.pipeline().eventLogStopped()));
        }
        return list.build();
    }

    /** {@code {"<document id>": {"total": n, "byNode": {"node-1": n, ...}}, ...}} for the documents with sessions. */
    public JsonObjectBuilder sessionsByDocument(Instant now) {
        JsonObjectBuilder documents = Json.createObjectBuilder();
        cluster.sessionsByDocument(now).forEach((id, byNode) -> documents.add(id.toString(), sessionsByNode(byNode)));
        return documents;
    }

    /** The sessions on each document, by node, as the nodes last announced them. */
    public Map<UUID, Map<String, Integer>> sessions(Instant now) {
        return cluster.sessionsByDocument(now);
    }

    /** One document's sessions: {@code {"total": n, "byNode": {"node-1": n, ...}}}. */
    static JsonObjectBuilder sessionsByNode(Map<String, Integer> byNode) {
        JsonObjectBuilder nodes = Json.createObjectBuilder();
        byNode.forEach(nodes::add);
        return Json.createObjectBuilder()
                .add(
                        "total",
                        byNode.values().stream().mapToInt(Integer::intValue).sum())
                .add("byNode", nodes);
    }
}
