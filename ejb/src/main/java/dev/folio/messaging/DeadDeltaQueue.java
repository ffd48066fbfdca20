package dev.folio.messaging;

import jakarta.annotation.Resource;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.jms.BytesMessage;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.Queue;
import jakarta.jms.TextMessage;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The queue {@value MessagingResources#DEAD_DELTAS_ADDRESS}, where the bridge puts a message it can
 * never forward: its body and properties as they were, with why and the original message id. Sent
 * in the bridge's transaction (hence MANDATORY), so the message leaves the deltas queue exactly when
 * its copy is here.
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.MANDATORY)
public class DeadDeltaQueue {

    private static final Logger LOG = Logger.getLogger(DeadDeltaQueue.class.getName());

    @Resource(lookup = MessagingResources.CONNECTION_FACTORY)
    ConnectionFactory connections;

    @Resource(lookup = MessagingResources.DEAD_DELTAS)
    Queue deadDeltas;

    public void put(Message original, String reason) throws JMSException {
        try (JMSContext context = connections.createContext()) {
            BytesMessage copy = context.createBytesMessage();
            copy.writeBytes(body(original));
            for (Object name : Collections.list(original.getPropertyNames())) {
                copyProperty(original, copy, (String) name);
            }
            copy.setStringProperty(MessagingResources.DEAD_REASON, reason);
            copy.setStringProperty(MessagingResources.ORIGINAL_MESSAGE_ID, original.getJMSMessageID());
            copy.setStringProperty("originalType", original.getClass().getSimpleName());
            context.createProducer().send(deadDeltas, copy);
        }
    }

    /** A bytes message's bytes, a text message's text in UTF-8; other kinds keep only their properties. */
    private static byte[] body(Message message) throws JMSException {
        if (message instanceof BytesMessage bytes) {
            bytes.reset();
            byte[] body = new byte[(int) bytes.getBodyLength()];
            bytes.readBytes(body);
            return body;
        }
        if (message instanceof TextMessage text && text.getText() != null) {
            return text.getText().getBytes(StandardCharsets.UTF_8);
        }
        return new byte[0];
    }

    /** The provider's own properties (JMSX..., JMS_...) are set by the provider, not copied. */
    private static void copyProperty(Message from, Message to, String name) {
        if (name.startsWith("JMSX") || name.startsWith("JMS_")) {
            return;
        }
        try {
            to.setObjectProperty(name, from.getObjectProperty(name));
        } catch (JMSException | RuntimeException e) {
            LOG.log(Level.FINE, "property " + name + " not copied to the dead letter", e);
        }
    }
}
