package dev.folio.health;

import dev.folio.messaging.MessagingResources;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSContext;
import javax.naming.InitialContext;
import javax.naming.NameNotFoundException;
import javax.naming.NamingException;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only while the Artemis broker answers through the application's connection factory (a
 * context is opened and closed). Where the messaging resources are not deployed (no artemis.rar
 * and artemis-resources.war) the check says so and stays up: the application does not publish yet.
 */
@Readiness
@ApplicationScoped
public class MessagingReadiness implements HealthCheck {

    private static final String NAME = "messaging";

    @Override
    public HealthCheckResponse call() {
        ConnectionFactory factory;
        try {
            factory = (ConnectionFactory) new InitialContext().lookup(MessagingResources.CONNECTION_FACTORY);
        } catch (NamingException e) {
            if (notFound(e)) {
                return HealthCheckResponse.named(NAME)
                        .up()
                        .withData("connectionFactory", "not deployed")
                        .build();
            }
            return down(e);
        } catch (ClassCastException e) {
            return down(e);
        }
        try (JMSContext context = factory.createContext()) {
            // A round trip to the broker: a pooled connection whose broker went away may not know
            // it yet, and would report UP; failing here also takes it out of the pool.
            context.createTemporaryQueue();
            return HealthCheckResponse.named(NAME)
                    .up()
                    .withData("connectionFactory", MessagingResources.CONNECTION_FACTORY)
                    .build();
        } catch (RuntimeException e) {
            return down(e);
        }
    }

    /** Payara wraps the NameNotFoundException: "Lookup failed for 'java:global/jms/folio'". */
    private static boolean notFound(NamingException e) {
        for (Throwable cause = e; cause != null; ) {
            if (cause instanceof NameNotFoundException) {
                return true;
            }
            Throwable next = cause instanceof NamingException naming && naming.getRootCause() != null
                    ? naming.getRootCause()
                    : cause.getCause();
            cause = next == cause ? null : next;
        }
        return false;
    }

    private static HealthCheckResponse down(Exception e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getMessage() == null) {
            cause = cause.getCause();
        }
        return HealthCheckResponse.named(NAME)
                .down()
                .withData("connectionFactory", MessagingResources.CONNECTION_FACTORY)
                .withData("error", cause.getClass().getSimpleName() + ": " + cause.getMessage())
                .build();
    }
}
