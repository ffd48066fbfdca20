package dev.folio.system;

import java.io.IOException;
import java.net.URI;
import java.util.Map;

/**
 * DynamoDB Local from bin/local-dynamodb on a test port, started once for all tests, with the event
 * table {@link #TABLE} and its index {@link #BY_DOCUMENT}.
 */
final class DynamoDbLocal {

    static final int PORT = 18000;
    static final String TABLE = "folio-events";
    static final String BY_DOCUMENT = "byDocument";

    private static DynamoDbLocal shared;

    private final StackScript script =
            new StackScript("local-dynamodb", Map.of("FOLIO_DYNAMODB_PORT", Integer.toString(PORT)));
    private final URI endpoint;

    private DynamoDbLocal() throws IOException, InterruptedException {
        endpoint = URI.create(script.start());
        script.stopOnExit();
    }

    static synchronized DynamoDbLocal shared() throws IOException, InterruptedException {
        if (shared == null) {
            shared = new DynamoDbLocal();
        }
        return shared;
    }

    /** Stops the server (an outage for every node's event-log writer), keeping its database file. */
    synchronized void stop() throws IOException, InterruptedException {
        script.stop();
    }

    /** Starts it again after {@link #stop}, with its table as it was (a running server is kept). */
    synchronized void start() throws IOException, InterruptedException {
        script.start();
    }

    /** The endpoint to override in an AWS SDK client (any credentials and region will do). */
    URI endpoint() {
        return endpoint;
    }
}
