package dev.folio.messaging;

import dev.folio.cluster.NodeStatus;
import dev.folio.cluster.NodeStatusBroadcast;
import jakarta.annotation.Resource;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.JMSRuntimeException;
import jakarta.jms.Message;
import java.time.Instant;
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
            message.setBooleanProperty(MessagingResources.LEFT, status.leaving());
            jms.createProducer()
                    .setDeliveryMode(DeliveryMode.NON_PERSISTENT)
                    .setTimeToLive(TIME_TO_LIVE_MILLIS)
                    .send(jms.createTopic(MessagingResources.PRESENCE_ADDRESS), message);
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
                message.getBooleanProperty(MessagingResources.LEFT));
    }
}
