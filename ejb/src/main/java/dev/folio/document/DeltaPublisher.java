package dev.folio.document;

import java.util.List;
import java.util.UUID;

/**
 * Sends what a node accepted on to the log that every node reads. Once a call returns, what it
 * sent is durable and will reach the log, in the order of the calls for a document.
 */
public interface DeltaPublisher {

    /** @throws RuntimeException if it could not be made durable; then nothing was sent */
    void publish(UUID documentId, List<SubmittedDelta> batch);

    /** Tells every node that the document was deleted. */
    void publishDeleted(UUID documentId);
}
