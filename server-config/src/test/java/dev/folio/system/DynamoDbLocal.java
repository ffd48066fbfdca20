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

    private final URI endpoint;

    private DynamoDbLocal() throws IOException, InterruptedException {
        StackScript script = new StackScript("local-dynamodb", Map.of("FOLIO_DYNAMODB_PORT", Integer.toString(PORT)));
        endpoint = URI.create(script.start());
        script.stopOnExit();
    }

    static synchronized DynamoDbLocal shared() throws IOException, InterruptedException {
        if (shared == null) {
            shared = new DynamoDbLocal();
        }
        return shared;
    }

    /** The endpoint to override in an AWS SDK client (any credentials and region will do). */
    URI endpoint() {
        return endpoint;
    }
}
