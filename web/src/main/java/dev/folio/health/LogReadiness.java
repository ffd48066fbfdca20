package dev.folio.health;

import dev.folio.eventlog.EventLogWriter;
import dev.folio.messaging.DeltaFeed;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready while this node reads the log (its delta feed reaches Kafka and is placed in every
 * partition: acks come from it) and its event-log writer is not stopped at something only an
 * operator can mend. A writer that only waits for DynamoDB, or lags, does not stop edits: it is
 * reported, not failed.
 */
@Readiness
@ApplicationScoped
public class LogReadiness implements HealthCheck {

    @EJB
    DeltaFeed feed;

    @EJB
    EventLogWriter writer;

    @Override
    public HealthCheckResponse call() {
        String stuck = writer.stuck();
        HealthCheckResponseBuilder response = HealthCheckResponse.named("log")
                .status(feed.running() && stuck == null)
                .withData("feed", feed.running() ? "reading" : "not reading Kafka")
                .withData("feedLag", feed.lag())
                .withData("eventLogWriter", stuck != null ? "stopped" : writer.running() ? "writing" : "waiting")
                .withData("eventLogLag", writer.lag());
        if (stuck != null) {
            response.withData("eventLogStoppedAt", stuck);
        }
        return response.build();
    }
}
