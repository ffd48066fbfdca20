package dev.folio.system;

import java.io.IOException;
import java.util.Map;

/** The ActiveMQ Artemis broker of bin/local-artemis on a test port, started once for all tests. */
final class ArtemisBroker {

    static final int PORT = 61716;

    private static ArtemisBroker shared;

    private final StackScript script =
            new StackScript("local-artemis", Map.of("FOLIO_ARTEMIS_PORT", Integer.toString(PORT)));
    private final String url;

    private ArtemisBroker() throws IOException, InterruptedException {
        url = script.start();
        script.stopOnExit();
    }

    static synchronized ArtemisBroker shared() throws IOException, InterruptedException {
        if (shared == null) {
            shared = new ArtemisBroker();
        }
        return shared;
    }

    /** The broker's URL for Artemis clients, {@code tcp://127.0.0.1:PORT}. */
    String url() {
        return url;
    }

    /** Stops the broker cleanly and starts it again on the same journal. */
    void restart() throws IOException, InterruptedException {
        script.stop();
        script.start();
    }
}
