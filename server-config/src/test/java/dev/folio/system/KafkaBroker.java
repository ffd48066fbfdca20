package dev.folio.system;

import java.io.IOException;
import java.util.Map;

/**
 * The Kafka node of bin/local-kafka on test ports, started once for all tests, with the topic
 * {@link #TOPIC} in {@link #PARTITIONS} partitions (not the default 12, so a test sees the setting work).
 */
final class KafkaBroker {

    static final int PORT = 19092;
    static final int CONTROLLER_PORT = 19093;
    static final String TOPIC = "folio.deltas";
    static final int PARTITIONS = 6;

    private static KafkaBroker shared;

    private final String bootstrap;

    private KafkaBroker() throws IOException, InterruptedException {
        StackScript script = new StackScript(
                "local-kafka",
                Map.of(
                        "FOLIO_KAFKA_PORT", Integer.toString(PORT),
                        "FOLIO_KAFKA_CONTROLLER_PORT", Integer.toString(CONTROLLER_PORT),
                        "FOLIO_KAFKA_PARTITIONS", Integer.toString(PARTITIONS)));
        bootstrap = script.start();
        script.stopOnExit();
    }

    static synchronized KafkaBroker shared() throws IOException, InterruptedException {
        if (shared == null) {
            shared = new KafkaBroker();
        }
        return shared;
    }

    /** {@code bootstrap.servers} for Kafka clients. */
    String bootstrap() {
        return bootstrap;
    }
}
