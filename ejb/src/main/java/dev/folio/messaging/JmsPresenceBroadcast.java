package dev.folio.messaging;

import dev.folio.kafka.KafkaClients;
import dev.folio.presence.PresenceBroadcast;
import dev.folio.presence.PresenceChange;
import jakarta.annotation.Resource;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.JMSRuntimeException;
import jakarta.jms.TextMessage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Presence changes on the Artemis topic {@value MessagingResources#PRESENCE_ADDRESS}: non-persistent,
 * in a container transaction (a send on the adapter's XA connection factory outside one was never
 * delivered, on Artemis 2.53's adapter), expiring after {@link #TIME_TO_LIVE_MILLIS}, never on Kafka. Every node
 * subscribes ({@link PresenceListener}).
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.REQUIRED)
public class JmsPresenceBroadcast implements PresenceBroadcast {

    private static final Logger LOG = Logger.getLogger(JmsPresenceBroadcast.class.getName());

    static final long TIME_TO_LIVE_MILLIS = 30_000;

    private static final AtomicLong failures = new AtomicLong();

    @Resource(lookup = MessagingResources.LOCAL_CONNECTION_FACTORY)
    ConnectionFactory connections;

    @Inject
    KafkaClients clients;

    @Override
    public String node() {
        return clients.node();
    }

    @Override
    public void publish(PresenceChange change) {
        try (JMSContext jms = connections.createContext()) {
            TextMessage message = jms.createTextMessage(change.left() ? "" : change.frame());
            message.setStringProperty(
                    MessagingResources.DOCUMENT_ID, change.documentId().toString());
            message.setStringProperty(MessagingResources.NODE, change.node());
            message.setIntProperty(MessagingResources.SITE, change.site());
            message.setBooleanProperty(MessagingResources.LEFT, change.left());
            PresenceTopic.send(jms, message, TIME_TO_LIVE_MILLIS);
        } catch (JMSRuntimeException | JMSException e) {
            // The next refresh repeats it; the other nodes' clients see it a little later. Logged
            // once in a hundred failures, since presence changes come by the dozen.
            if (failures.getAndIncrement() % 100 == 0) {
                LOG.log(
                        Level.WARNING,
                        "document " + change.documentId() + ": presence not sent to the other nodes (" + failures.get()
                                + " failures so far)",
                        e);
            }
        }
    }
}
