package dev.folio.messaging;

import dev.folio.cluster.NodeCommand;
import dev.folio.cluster.NodeCommandBroadcast;
import dev.folio.kafka.KafkaClients;
import jakarta.annotation.Resource;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.JMSRuntimeException;
import jakarta.jms.Message;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Node commands on the presence topic ({@value MessagingResources#PRESENCE_ADDRESS}), which every
 * node subscribes to ({@link PresenceListener}): non-persistent, expiring after 30 s (a node that
 * gets one later has had its sessions closed by other means, or never had them).
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.REQUIRED)
public class JmsNodeCommandBroadcast implements NodeCommandBroadcast {

    private static final Logger LOG = Logger.getLogger(JmsNodeCommandBroadcast.class.getName());

    @Resource(lookup = MessagingResources.CONNECTION_FACTORY)
    ConnectionFactory connections;

    @Inject
    KafkaClients clients;

    @Override
    public boolean publish(NodeCommand command) {
        try (JMSContext jms = connections.createContext()) {
            Message message = jms.createMessage();
            message.setStringProperty(MessagingResources.NODE, clients.node());
            message.setStringProperty(
                    MessagingResources.NODE_COMMAND, command.kind().name());
            message.setStringProperty(
                    MessagingResources.DOCUMENT_ID, command.documentId().toString());
            PresenceTopic.send(jms, message, JmsPresenceBroadcast.TIME_TO_LIVE_MILLIS);
            return true;
        } catch (JMSRuntimeException | JMSException e) {
            LOG.log(Level.WARNING, "the other nodes were not told to " + command, e);
            return false;
        }
    }

    /** The command a message of {@link #publish} holds, or null if it holds none. */
    static NodeCommand commandOf(Message message) throws JMSException {
        String kind = message.getStringProperty(MessagingResources.NODE_COMMAND);
        return kind == null
                ? null
                : new NodeCommand(
                        NodeCommand.Kind.valueOf(kind),
                        UUID.fromString(message.getStringProperty(MessagingResources.DOCUMENT_ID)));
    }
}
