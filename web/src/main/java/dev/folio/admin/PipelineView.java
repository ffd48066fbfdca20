package dev.folio.admin;

import dev.folio.cluster.ClusterView;
import dev.folio.cluster.NodeStatus;
import dev.folio.eventlog.EventLogWriter;
import dev.folio.kafka.KafkaClients;
import dev.folio.messaging.DeltaFeed;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.time.Instant;
import java.util.Map;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.MetricID;
import org.eclipse.microprofile.metrics.MetricRegistry;

/**
 * The event pipeline as the admin console shows it: this node's feed, event-log writer, bridge,
 * refusals and compaction (its own metrics, as {@code /metrics} has them), and every live node's
 * lags as it last announced them. Counters count since the node started.
 */
@ApplicationScoped
public class PipelineView {

    @EJB
    DeltaFeed feed;

    @EJB
    EventLogWriter writer;

    @Inject
    MetricRegistry metrics;

    @Inject
    ClusterView cluster;

    @Inject
    KafkaClients clients;

    public JsonObject now() {
        String stoppedAt = writer.stuck();
        JsonObjectBuilder eventLog = Json.createObjectBuilder()
                .add("state", stoppedAt != null ? "stopped" : writer.running() ? "writing" : "waiting")
                .add("lag", writer.lag());
        if (stoppedAt != null) {
            eventLog.add("stoppedAt", stoppedAt);
        }
        return Json.createObjectBuilder()
                .add("node", clients.node())
                .add(
                        "feed",
                        Json.createObjectBuilder()
                                .add("reading", feed.running())
                                .add("lag", feed.lag()))
                .add("eventLog", eventLog)
                .add("deltasAccepted", count("folio.deltas.accepted"))
                .add(
                        "bridge",
                        Json.createObjectBuilder()
                                .add("forwarded", count("folio.bridge.forwarded"))
                                .add("deadLettered", count("folio.bridge.deadlettered"))
                                .add("kafkaRetries", count("folio.bridge.kafka.retries")))
                .add("refusals", byTag("folio.refusals", "code"))
                .add("authRefusals", byTag("folio.auth.refused", "code"))
                .add(
                        "compaction",
                        Json.createObjectBuilder()
                                .add("archivedEvents", count("folio.compaction.archived"))
                                .add("archives", count("folio.compaction.archives"))
                                .add("failures", count("folio.compaction.failures")))
                .add("nodes", nodes())
                .build();
    }

    private JsonArrayBuilder nodes() {
        Instant now = Instant.now();
        JsonArrayBuilder nodes = Json.createArrayBuilder();
        for (ClusterView.HeardNode heard : cluster.nodes(now)) {
            NodeStatus.Pipeline pipeline = heard.status().pipeline();
            nodes.add(Json.createObjectBuilder()
                    .add("node", heard.status().node())
                    .add("silent", heard.isSilent(now))
                    .add("feedLag", pipeline.feedLag())
                    .add("eventLogLag", pipeline.eventLogLag())
                    .add("eventLogStopped", pipeline.eventLogStopped()));
        }
        return nodes;
    }

    /** A counter without tags, 0 before anything counted it (it is registered on first use). */
    private long count(String name) {
        Counter counter = metrics.getCounters().get(new MetricID(name));
        return counter == null ? 0 : counter.getCount();
    }

    private JsonObjectBuilder byTag(String name, String tag) {
        JsonObjectBuilder counts = Json.createObjectBuilder();
        for (Map.Entry<MetricID, Counter> counter : metrics.getCounters().entrySet()) {
            String value = counter.getKey().getTags().get(tag);
            if (counter.getKey().getName().equals(name) && value != null) {
                counts.add(value, counter.getValue().getCount());
            }
        }
        return counts;
    }
}
