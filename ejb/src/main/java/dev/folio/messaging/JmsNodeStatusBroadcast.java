package dev.folio.messaging;

import dev.folio.cluster.NodeStatus;
import dev.folio.cluster.NodeStatusBroadcast;
import jakarta.annotation.Resource;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.JMSRuntimeException;
import jakarta.jms.Message;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Node statuses on the presence topic ({@value MessagingResources#PRESENCE_ADDRESS}), which every
 * node subscribes to ({@link PresenceListener}): non-persistent, in a container transaction (see
 * {@link JmsPresenceBroadcast}), expiring after 15 s, when the next ones have long come.
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.REQUIRED)
public class JmsNodeStatusBroadcast implements NodeStatusBroadcast {

    private static final Logger LOG = Logger.getLogger(JmsNodeStatusBroadcast.class.getName());

    private static final long TIME_TO_LIVE_MILLIS = 15_000;

    private static final AtomicLong failures = new AtomicLong();

    @Resource(lookup = MessagingResources.LOCAL_CONNECTION_FACTORY)
    ConnectionFactory connections;

    @Override
    public void publish(NodeStatus status) {
        try (JMSContext jms = connections.createContext()) {
            Message message = jms.createMessage();
            message.setBooleanProperty(MessagingResources.NODE_STATUS, true);
            message.setStringProperty(MessagingResources.NODE, status.node());
            message.setLongProperty(
                    MessagingResources.STARTED_AT, status.startedAt().toEpochMilli());
            message.setLongProperty(MessagingResources.SENT_AT, status.sentAt().toEpochMilli());
            message.setIntProperty(MessagingResources.OPEN_DOCUMENTS, status.openDocuments());
            message.setIntProperty(MessagingResources.SESSIONS, status.sessions());
            message.setLongProperty(MessagingResources.HEAP_USED, status.heapUsedBytes());
            message.setLongProperty(MessagingResources.HEAP_MAX, status.heapMaxBytes());
            message.setDoubleProperty(MessagingResources.CPU_LOAD, status.cpuLoad());
            message.setLongProperty(
                    MessagingResources.FEED_LAG, status.pipeline().feedLag());
            message.setLongProperty(
                    MessagingResources.EVENT_LOG_LAG, status.pipeline().eventLogLag());
            message.setBooleanProperty(
                    MessagingResources.EVENT_LOG_STOPPED, status.pipeline().eventLogStopped());
            message.setStringProperty(MessagingResources.DOCUMENT_SESSIONS, documentSessions(status));
            message.setBooleanProperty(MessagingResources.LEFT, status.leaving());
            PresenceTopic.send(jms, message, TIME_TO_LIVE_MILLIS);
        } catch (JMSRuntimeException | JMSException e) {
            // Every 5 s: logged once in a hundred failures.
            if (failures.getAndIncrement() % 100 == 0) {
                LOG.log(
                        Level.WARNING,
                        "this node's status was not sent to the others (" + failures.get() + " failures so far)",
                        e);
            }
        }
    }

    /** The status a message of {@link #publish} holds. */
    static NodeStatus statusOf(Message message) throws JMSException {
        return new NodeStatus(
                message.getStringProperty(MessagingResources.NODE),
                Instant.ofEpochMilli(message.getLongProperty(MessagingResources.STARTED_AT)),
                Instant.ofEpochMilli(message.getLongProperty(MessagingResources.SENT_AT)),
                message.getIntProperty(MessagingResources.OPEN_DOCUMENTS),
                message.getIntProperty(MessagingResources.SESSIONS),
                message.getLongProperty(MessagingResources.HEAP_USED),
                message.getLongProperty(MessagingResources.HEAP_MAX),
                message.getDoubleProperty(MessagingResources.CPU_LOAD),
                pipelineOf(message),
                documentSessionsOf(message.getStringProperty(MessagingResources.DOCUMENT_SESSIONS)),
                message.getBooleanProperty(MessagingResources.LEFT));
    }

    /** A node of an older version sends no pipeline: shown as unknown. */
    private static NodeStatus.Pipeline pipelineOf(Message message) throws JMSException {
        if (!message.propertyExists(MessagingResources.FEED_LAG)) {
            return NodeStatus.Pipeline.UNKNOWN;
        }
        return new NodeStatus.Pipeline(
                message.getLongProperty(MessagingResources.FEED_LAG),
                message.getLongProperty(MessagingResources.EVENT_LOG_LAG),
                message.getBooleanProperty(MessagingResources.EVENT_LOG_STOPPED));
    }

    /** {@code <document id>=<sessions>} pairs, comma-separated: at most 200 of them, about 8 KB. */
    static String documentSessions(NodeStatus status) {
        StringBuilder text = new StringBuilder();
        status.documentSessions().forEach((document, sessions) -> {
            text.append(text.isEmpty() ? "" : ",").append(document).append('=').append(sessions);
        });
        return text.toString();
    }

    static Map<UUID, Integer> documentSessionsOf(String text) {
        Map<UUID, Integer> sessions = new HashMap<>();
        if (text == null || text.isEmpty()) {
            return sessions;
        }
        for (String pair : text.split(",")) {
            int equals = pair.indexOf('=');
            sessions.put(UUID.fromString(pair.substring(0, equals)), Integer.parseInt(pair.substring(equals + 1)));
        }
        return sessions;
    }
}
