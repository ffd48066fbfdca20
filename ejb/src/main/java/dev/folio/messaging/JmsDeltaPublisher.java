package dev.folio.messaging;

import dev.folio.document.DeltaBatchCodec;
import dev.folio.document.DeltaPublisher;
import dev.folio.document.SubmittedDelta;
import jakarta.annotation.Resource;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.jms.BytesMessage;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.JMSRuntimeException;
import jakarta.jms.Queue;
import java.util.List;
import java.util.UUID;

/**
 * Publishes a node's accepted deltas to the Artemis queue {@value MessagingResources#DELTAS_ADDRESS},
 * from where {@link DeltaBridge} forwards them to Kafka. One call is one persistent message, sent in
 * its own transaction (the caller runs without one), so it is on the broker's disk when the call
 * returns; a failure rolls it back and surfaces as an exception.
 *
 * <p>Each message is in the message group of its document ({@code JMSXGroupID}): Artemis hands a
 * group to one consumer at a time, so a document's messages reach Kafka in the order they were
 * published, however many bridge sessions and nodes consume the queue.
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.REQUIRED)
public class JmsDeltaPublisher implements DeltaPublisher {

    static final String GROUP_ID = "JMSXGroupID";

    @Resource(lookup = MessagingResources.LOCAL_CONNECTION_FACTORY)
    ConnectionFactory connections;

    @Resource(lookup = MessagingResources.DELTAS)
    Queue deltas;

    @Override
    public void publish(UUID documentId, List<SubmittedDelta> batch) {
        send(documentId, DeltaBatchCodec.encode(batch));
    }

    @Override
    public void publishDeleted(UUID documentId) {
        send(documentId, DeltaBatchCodec.encodeDeleted());
    }

    private void send(UUID documentId, byte[] record) {
        String id = documentId.toString();
        try (JMSContext context = connections.createContext()) {
            BytesMessage message = context.createBytesMessage();
            message.writeBytes(record);
            message.setStringProperty(MessagingResources.DOCUMENT_ID, id);
            message.setStringProperty(GROUP_ID, id);
            context.createProducer().setDeliveryMode(DeliveryMode.PERSISTENT).send(deltas, message);
        } catch (JMSException e) {
            throw new JMSRuntimeException(
                    "could not publish a record of document " + id + ": " + e.getMessage(), e.getErrorCode(), e);
        }
    }
}
