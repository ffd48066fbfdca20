package dev.folio.admin;

import dev.folio.cluster.ClusterView;
import dev.folio.cluster.NodeStatus;
import dev.folio.cluster.NodeStatusBroadcast;
import dev.folio.document.DocumentManager;
import dev.folio.document.socket.OpenSessions;
import dev.folio.eventlog.EventLogWriter;
import dev.folio.kafka.KafkaClients;
import dev.folio.messaging.DeltaFeed;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.EJB;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Every {@value #EVERY_SECONDS} s, tells the cluster ({@link ClusterView} here, {@link
 * NodeStatusBroadcast} to the others) how this node is: its open documents and sessions (and on
 * which documents), heap and CPU, and its part of the pipeline's lag; as the application stops, that it is leaving. So the admin console lists every node with
 * nothing configured.
 */
@ApplicationScoped
public class NodeAnnouncer {

    static final int EVERY_SECONDS = 5;

    private static final Logger LOG = Logger.getLogger(NodeAnnouncer.class.getName());

    @Resource
    ManagedThreadFactory threads;

    @EJB
    DocumentManager documents;

    @Inject
    NodeStatusBroadcast broadcast;

    @Inject
    OpenSessions sessions;

    @Inject
    ClusterView cluster;

    @Inject
    KafkaClients clients;

    @EJB
    DeltaFeed feed;

    @EJB
    EventLogWriter writer;

    private ScheduledExecutorService scheduler;

    @PostConstruct
    void start() {
        scheduler = Executors.newSingleThreadScheduledExecutor(threads);
        scheduler.scheduleAtFixedRate(this::announce, 0, EVERY_SECONDS, TimeUnit.SECONDS);
    }

    /** Created with the application, so that the node is announced before anyone asks. */
    void startWithTheApplication(@Observes @Initialized(ApplicationScoped.class) Object application) {
        // Observing the event is what creates the bean; start() does the work.
    }

    @PreDestroy
    void stop() {
        scheduler.shutdownNow();
        try {
            broadcast.publish(status(true));
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "this node could not say it is leaving; the others see it fall silent", e);
        }
    }

    private void announce() {
        try {
            NodeStatus status = status(false);
            cluster.heard(status, status.sentAt());
            broadcast.publish(status);
        } catch (RuntimeException e) {
            // A task that throws is never run again: the announcements must go on.
            LOG.log(Level.WARNING, "this node's status could not be announced; again in " + EVERY_SECONDS + " s", e);
        }
    }

    private NodeStatus status(boolean leaving) {
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        return new NodeStatus(
                clients.node(),
                Instant.ofEpochMilli(ManagementFactory.getRuntimeMXBean().getStartTime()),
                Instant.now(),
                documents.openCount(),
                sessions.count(),
                heap.getUsed(),
                heap.getMax(),
                cpuLoad(),
                new NodeStatus.Pipeline(feed.lag(), writer.lag(), writer.stuck() != null),
                busiest(sessions.byDocument()),
                leaving);
    }

    /** The documents with the most sessions here, as many as a status carries. */
    private static Map<UUID, Integer> busiest(Map<UUID, Integer> sessions) {
        if (sessions.size() <= NodeStatus.MAX_DOCUMENTS) {
            return sessions;
        }
        Map<UUID, Integer> busiest = new HashMap<>();
        sessions.entrySet().stream()
                .sorted(Map.Entry.<UUID, Integer>comparingByValue().reversed())
                .limit(NodeStatus.MAX_DOCUMENTS)
                .forEach(entry -> busiest.put(entry.getKey(), entry.getValue()));
        return busiest;
    }

    private static double cpuLoad() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuLoad()
                : -1;
    }
}
