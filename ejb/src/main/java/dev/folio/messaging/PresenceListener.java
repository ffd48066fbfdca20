package dev.folio.messaging;

import dev.folio.access.AccessChange;
import dev.folio.cluster.ClusterView;
import dev.folio.cluster.NodeCommand;
import dev.folio.kafka.KafkaClients;
import dev.folio.presence.PresenceChange;
import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.MessageDriven;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;
import java.time.Instant;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Hands the other nodes' presence changes (from {@link JmsPresenceBroadcast}) and access changes
 * (from {@link JmsAccessChangeBroadcast}) to this node as CDI events, and records their statuses
 * (from {@link JmsNodeStatusBroadcast}) in the {@link ClusterView}; administrators' node commands (from {@link
 * JmsNodeCommandBroadcast}) become CDI events too. One non-durable subscription per node, so each node gets each change once; a node that
 * was down has missed nothing that matters, since presence is refreshed every few seconds.
 */
@MessageDriven(
        activationConfig = {
            @ActivationConfigProperty(
                    propertyName = "resourceAdapter",
                    propertyValue = MessagingResources.RESOURCE_ADAPTER),
            @ActivationConfigProperty(propertyName = "destinationType", propertyValue = "jakarta.jms.Topic"),
            @ActivationConfigProperty(
                    propertyName = "destination",
                    propertyValue = MessagingResources.PRESENCE_ADDRESS),
            @ActivationConfigProperty(propertyName = "subscriptionDurability", propertyValue = "NonDurable"),
            // More sessions on a non-durable subscription would each get every message.
            @ActivationConfigProperty(propertyName = "maxSession", propertyValue = "1"),
            @ActivationConfigProperty(propertyName = "useJNDI", propertyValue = "false"),
            @ActivationConfigProperty(
                    propertyName = "connectorClassName",
                    propertyValue = MessagingResources.BROKER_CONNECTOR),
            @ActivationConfigProperty(
                    propertyName = "connectionParameters",
                    propertyValue = MessagingResources.BROKER_PARAMETERS)
        })
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class PresenceListener implements MessageListener {

    private static final Logger LOG = Logger.getLogger(PresenceListener.class.getName());

    @Inject
    KafkaClients clients;

    @Inject
    Event<PresenceChange> changes;

    @Inject
    Event<AccessChange> accessChanges;

    @Inject
    ClusterView cluster;

    @Inject
    Event<NodeCommand> commands;

    @Override
    public void onMessage(Message message) {
        try {
            String node = message.getStringProperty(MessagingResources.NODE);
            if (node == null || node.equals(clients.node())) {
                return;
            }
            if (message.getBooleanProperty(MessagingResources.NODE_STATUS)) {
                cluster.heard(JmsNodeStatusBroadcast.statusOf(message), Instant.now());
                return;
            }
            NodeCommand command = JmsNodeCommandBroadcast.commandOf(message);
            if (command != null) {
                commands.fire(command);
                return;
            }
            UUID document = UUID.fromString(message.getStringProperty(MessagingResources.DOCUMENT_ID));
            String accessChangedFor = message.getStringProperty(MessagingResources.ACCESS_CHANGED_FOR);
            if (accessChangedFor != null) {
                accessChanges.fire(new AccessChange(document, accessChangedFor));
                return;
            }
            int site = message.getIntProperty(MessagingResources.SITE);
            boolean left = message.getBooleanProperty(MessagingResources.LEFT);
            changes.fire(new PresenceChange(document, node, site, left ? null : message.getBody(String.class)));
        } catch (JMSException | RuntimeException e) {
            LOG.log(Level.WARNING, "a presence message could not be read; ignored", e);
        }
    }
}
