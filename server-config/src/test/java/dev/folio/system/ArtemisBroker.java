package dev.folio.system;

import java.io.IOException;
import java.util.Map;

/**
 * An ActiveMQ Artemis broker of bin/local-artemis on a test port: the suite's, started once for all
 * tests and used by every node of {@link FolioStack}, or one of a test's own (which it may stop).
 */
final class ArtemisBroker {

    static final int PORT = 61716;
    /** The queue of accepted deltas on their way to Kafka, and where the ones that keep failing end. */
    static final String DELTAS = "folio.deltas";

    static final String DEAD_DELTAS = "folio.deltas.dead";

    private static ArtemisBroker shared;

    private final int port;
    private final StackScript script;
    private boolean running;

    private ArtemisBroker(int port, StackScript script) {
        this.port = port;
        this.script = script;
        ExitStops.register(ExitStops.Layer.SERVICES, "Artemis on port " + port, this::stop);
    }

    /** The suite's broker, started on first use; a fault test may kill and start it again, never stop it for good. */
    static synchronized ArtemisBroker shared() throws IOException, InterruptedException {
        if (shared == null) {
            ArtemisBroker broker = new ArtemisBroker(PORT, new StackScript("local-artemis", environment(PORT)));
            broker.start();
            shared = broker;
        }
        return shared;
    }

    /**
     * A broker for one test that stops or restarts it, on {@code port} with its journal in {@code
     * target/system-tests/FOLDER/stack}; not started yet.
     */
    static ArtemisBroker own(int port, String folder) {
        return new ArtemisBroker(
                port,
                new StackScript(
                        "local-artemis", SuitePaths.work().resolve(folder).resolve("stack"), environment(port)));
    }

    private static Map<String, String> environment(int port) {
        return Map.of("FOLIO_ARTEMIS_PORT", Integer.toString(port));
    }

    int port() {
        return port;
    }

    /** The broker's URL for Artemis clients, {@code tcp://127.0.0.1:PORT}. */
    String url() {
        return "tcp://127.0.0.1:" + port;
    }

    /** Starts it (a running one is kept) on its journal. */
    synchronized void start() throws IOException, InterruptedException {
        script.start();
        running = true;
    }

    /** {@code kill -9}: an outage for every node, with no clean shutdown; {@link #start} brings it back. */
    synchronized void kill() throws IOException, InterruptedException {
        if (running) {
            running = false;
            script.kill();
        }
    }

    /** Stops it cleanly, if this fixture started it. */
    synchronized void stop() throws IOException, InterruptedException {
        if (running) {
            running = false;
            script.stop();
        }
    }

    /** Stops the broker cleanly and starts it again on the same journal. */
    void restart() throws IOException, InterruptedException {
        stop();
        start();
    }
}
