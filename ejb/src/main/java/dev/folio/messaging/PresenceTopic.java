package dev.folio.messaging;

import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSContext;
import jakarta.jms.Message;

/**
 * The topic {@value MessagingResources#PRESENCE_ADDRESS}, which every node subscribes to ({@link
 * PresenceListener}): presence, access changes, node statuses and node commands travel on it,
 * non-persistent and expiring, because each is soon repeated or checked again by other means.
 */
final class PresenceTopic {

    private PresenceTopic() {}

    /** Sends {@code message} to every node, dropped if not delivered within {@code timeToLiveMillis}. */
    static void send(JMSContext jms, Message message, long timeToLiveMillis) {
        jms.createProducer()
                .setDeliveryMode(DeliveryMode.NON_PERSISTENT)
                .setTimeToLive(timeToLiveMillis)
                .send(jms.createTopic(MessagingResources.PRESENCE_ADDRESS), message);
    }
}
