package dev.folio.document;

import jakarta.ejb.ApplicationException;
import java.time.Duration;

/**
 * A document cannot be opened now because something it needs (the broker, Kafka, the database)
 * failed a moment ago: answered at once, without reading the document, so that clients rejoining
 * during an outage do not each make the node load it again. Clients retry after {@link
 * #retryAfter}.
 */
@ApplicationException
public class DocumentUnavailableException extends RuntimeException {

    private final Duration retryAfter;

    public DocumentUnavailableException(String message, Duration retryAfter) {
        super(message);
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
