package dev.folio.system;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The Kafka node of bin/local-kafka on test ports, started once for all tests, with the topic
 * {@link #TOPIC} in {@link #PARTITIONS} partitions (not the default 12, so a test sees the setting
 * work; more than one, so documents spread over partitions as in production).
 */
final class KafkaBroker {

    static final int PORT = 19092;
    static final int CONTROLLER_PORT = 19093;
    static final String TOPIC = "folio.deltas";
    static final int PARTITIONS = 6;

    private static KafkaBroker shared;

    private final StackScript script = script(TOPIC, PARTITIONS);
    private final String bootstrap;
    private boolean running;

    private KafkaBroker() throws IOException, InterruptedException {
        ExitStops.register(ExitStops.Layer.SERVICES, "Kafka", this::stop);
        bootstrap = script.start();
        running = true;
    }

    static synchronized KafkaBroker shared() throws IOException, InterruptedException {
        if (shared == null) {
            shared = new KafkaBroker();
        }
        return shared;
    }

    /**
     * Stops the broker cleanly (an outage for every node), keeping its data: {@link #start} brings
     * it back with its topics and offsets, on the same ports.
     */
    synchronized void stop() throws IOException, InterruptedException {
        if (running) {
            running = false;
            script.stop();
        }
    }

    /** {@code kill -9}: an outage for every node, with no clean shutdown; {@link #start} brings it back. */
    synchronized void kill() throws IOException, InterruptedException {
        if (running) {
            running = false;
            script.kill();
        }
    }

    /** Starts it again after {@link #stop} (a running broker is kept) and waits for its topic. */
    synchronized void start() throws IOException, InterruptedException {
        script.start();
        running = true;
    }

    /** {@code bootstrap.servers} for Kafka clients. */
    String bootstrap() {
        return bootstrap;
    }

    /**
     * Creates {@code topic} when it is missing (the broker does not create topics on first use): for
     * a test whose nodes must not meet the suite's on {@link #TOPIC}.
     */
    void createTopic(String topic, int partitions) throws IOException, InterruptedException {
        // bin/local-kafka keeps the running broker and only makes its topic ready.
        script(topic, partitions).start();
    }

    private static StackScript script(String topic, int partitions) {
        Map<String, String> environment = new HashMap<>();
        environment.put("FOLIO_KAFKA_PORT", Integer.toString(PORT));
        environment.put("FOLIO_KAFKA_CONTROLLER_PORT", Integer.toString(CONTROLLER_PORT));
        environment.put("FOLIO_KAFKA_TOPIC", topic);
        environment.put("FOLIO_KAFKA_PARTITIONS", Integer.toString(partitions));
        return new StackScript("local-kafka", environment);
    }
}
