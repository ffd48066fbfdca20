package dev.folio.messaging;

import dev.folio.access.AccessChange;
import dev.folio.access.AccessChangeBroadcast;
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
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Access changes on the presence topic ({@value MessagingResources#PRESENCE_ADDRESS}), which every
 * node already subscribes to ({@link PresenceListener}): non-persistent, sent in the caller's
 * transaction, expiring after {@link JmsPresenceBroadcast#TIME_TO_LIVE_MILLIS}, since a node that
 * gets it later looks its sessions up again by then anyway.
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.REQUIRED)
public class JmsAccessChangeBroadcast implements AccessChangeBroadcast {

    private static final Logger LOG = Logger.getLogger(JmsAccessChangeBroadcast.class.getName());

    /**
     * XA: the change is published in the transaction that changes the role, with the database in
     * it; a local-transaction factory cannot join a transaction that holds another resource.
     */
    @Resource(lookup = MessagingResources.CONNECTION_FACTORY)
    ConnectionFactory connections;

    @Inject
    KafkaClients clients;

    @Override
    public void publish(AccessChange change) {
        try (JMSContext jms = connections.createContext()) {
            Message message = jms.createMessage();
            message.setStringProperty(
                    MessagingResources.DOCUMENT_ID, change.documentId().toString());
            message.setStringProperty(MessagingResources.NODE, clients.node());
            message.setStringProperty(MessagingResources.ACCESS_CHANGED_FOR, change.userId());
            PresenceTopic.send(jms, message, JmsPresenceBroadcast.TIME_TO_LIVE_MILLIS);
        } catch (JMSRuntimeException | JMSException e) {
            // The change stands: the other nodes find it at their next periodic check.
            LOG.log(
                    Level.WARNING,
                    "document " + change.documentId() + ": the other nodes were not told that the access of "
                            + change.userId() + " changed; they find it within seconds",
                    e);
        }
    }
}
