package dev.folio.messaging;

import dev.folio.document.DeltaBatchCodec;
import dev.folio.document.LoggedBatch;
import dev.folio.lseq.InvalidDeltaException;
import jakarta.annotation.PostConstruct;
import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.EJB;
import jakarta.ejb.MessageDriven;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import jakarta.jms.BytesMessage;
import jakarta.jms.JMSException;
import jakarta.jms.JMSRuntimeException;
import jakarta.jms.Message;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageListener;
import java.time.Duration;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Timer;

/**
 * Forwards each message of the deltas queue to Kafka, as a record with the same bytes keyed by its
 * document, and acknowledges it (commits) once Kafka has it: at least once, in each document's
 * order (messages are grouped by document, see {@link JmsDeltaPublisher}).
 *
 * <p>The bean listens through the Artemis resource adapter, which connects on its own (not through
 * the application's connection factory): to the broker at {@code FOLIO_ARTEMIS_HOST}:{@code
 * FOLIO_ARTEMIS_PORT}, like the connection factory, through Payara's {@code ${ENV=...}} expansion,
 * which Payara applies to {@code @ActivationConfigProperty} values. The destination is the
 * broker's queue itself, not a JNDI name, so the bean does not depend on the order in which
 * artemis-resources.war binds its names.
 *
 * <p>A message that can never be forwarded (no or a malformed document id, not a bytes message, not
 * a log record, refused by Kafka) goes to the dead-letter queue in the same transaction; it is never
 * thrown back, which would only bring it round again.
 */
@MessageDriven(
        activationConfig = {
            @ActivationConfigProperty(
                    propertyName = "resourceAdapter",
                    propertyValue = MessagingResources.RESOURCE_ADAPTER),
            @ActivationConfigProperty(propertyName = "destinationType", propertyValue = "jakarta.jms.Queue"),
            @ActivationConfigProperty(propertyName = "destination", propertyValue = MessagingResources.DELTAS_ADDRESS),
            @ActivationConfigProperty(propertyName = "useJNDI", propertyValue = "false"),
            @ActivationConfigProperty(
                    propertyName = "connectorClassName",
                    propertyValue = MessagingResources.BROKER_CONNECTOR),
            @ActivationConfigProperty(
                    propertyName = "connectionParameters",
                    propertyValue = MessagingResources.BROKER_PARAMETERS)
        })
@TransactionAttribute(TransactionAttributeType.REQUIRED)
public class DeltaBridge implements MessageListener {

    private static final Logger LOG = Logger.getLogger(DeltaBridge.class.getName());

    @EJB
    KafkaDeltaForwarder forwarder;

    @EJB
    DeadDeltaQueue deadDeltas;

    @Inject
    MetricRegistry metrics;

    private Counter deadLettered;
    private Timer queued;
    private Timer forwarding;

    @PostConstruct
    void start() {
        deadLettered = metrics.counter("folio.bridge.deadlettered");
        queued = metrics.timer("folio.bridge.queued");
        forwarding = metrics.timer("folio.bridge.forward");
    }

    @Override
    public void onMessage(Message message) {
        String documentId = null;
        try {
            // From the node's send to here: the broker's part of an ack (its journal, its dispatch).
            queued.update(Duration.ofMillis(Math.max(0, System.currentTimeMillis() - message.getJMSTimestamp())));
            documentId = message.getStringProperty(MessagingResources.DOCUMENT_ID);
            UUID document = UUID.fromString(String.valueOf(documentId));
            if (!(message instanceof BytesMessage)) {
                throw new IllegalArgumentException(
                        "not a bytes message but " + message.getClass().getSimpleName());
            }
            byte[] record = message.getBody(byte[].class);
            LoggedBatch batch = DeltaBatchCodec.decode(document, 0, record == null ? new byte[0] : record);
            try {
                long start = System.nanoTime();
                forwarder.forward(document, record);
                forwarding.update(Duration.ofNanos(System.nanoTime() - start));
            } catch (RefusedRecordException e) {
                deadLetter(message, documentId, e);
                tellDropped(document, batch);
            }
        } catch (IllegalArgumentException | InvalidDeltaException | MessageFormatException e) {
            deadLetter(message, documentId, e);
        } catch (JMSException e) {
            throw new JMSRuntimeException("could not read message: " + e.getMessage(), e.getErrorCode(), e);
        }
    }

    private void deadLetter(Message message, String documentId, Exception why) {
        String messageId = messageId(message);
        LOG.log(
                Level.SEVERE,
                "delta message {0} (document {1}) cannot be forwarded and goes to {2}: {3}",
                new Object[] {
                    messageId,
                    documentId == null ? "none" : documentId,
                    MessagingResources.DEAD_DELTAS_ADDRESS,
                    why.toString()
                });
        try {
            deadDeltas.put(message, why.toString());
        } catch (JMSException e) {
            throw new JMSRuntimeException("could not dead-letter message " + messageId, e.getErrorCode(), e);
        }
        deadLettered.inc();
    }

    /**
     * Puts in the log, where the document's nodes read it, that the batch's deltas were dropped: the
     * node whose clients wait for their acks tells them, instead of leaving them waiting forever.
     */
    private void tellDropped(UUID document, LoggedBatch batch) {
        if (batch.deltas().isEmpty()) {
            return;
        }
        try {
            forwarder.forward(document, DeltaBatchCodec.encodeDropped(batch.deltas()));
        } catch (RefusedRecordException | RuntimeException e) {
            LOG.log(Level.SEVERE, "document " + document + ": telling its nodes of a dropped batch failed", e);
        }
    }

    private static String messageId(Message message) {
        try {
            return message.getJMSMessageID();
        } catch (JMSException e) {
            return "(unknown id)";
        }
    }
}
