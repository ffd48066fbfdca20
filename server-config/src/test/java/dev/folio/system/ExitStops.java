package dev.folio.system;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Stops what the tests started when the test JVM exits: first every application server, then every
 * service they use, each group side by side. One hook for all, because the JVM runs separate hooks
 * at once and in no order: a broker stopped before the node that sends to it would turn the node's
 * clean shutdown into a string of connection failures.
 */
final class ExitStops {

    /** In stopping order. */
    enum Layer {
        APPLICATIONS,
        SERVICES
    }

    interface Stop {
        void run() throws Exception;
    }

    private static final Map<Layer, List<Runnable>> STOPS = new EnumMap<>(Layer.class);
    private static boolean hooked;

    private ExitStops() {}

    /** Runs {@code stop} at exit with the rest of {@code layer}; a failure is printed, not thrown. */
    static synchronized void register(Layer layer, String name, Stop stop) {
        if (!hooked) {
            Runtime.getRuntime().addShutdownHook(new Thread(ExitStops::stopAll, "exit-stops"));
            hooked = true;
        }
        STOPS.computeIfAbsent(layer, ignored -> new ArrayList<>()).add(() -> {
            try {
                stop.run();
            } catch (Exception e) {
                System.err.println("stopping " + name + " at exit failed: " + e);
            }
        });
    }

    private static void stopAll() {
        for (Layer layer : Layer.values()) {
            List<Thread> stopping = new ArrayList<>();
            synchronized (ExitStops.class) {
                for (Runnable stop : STOPS.getOrDefault(layer, List.of())) {
                    stopping.add(new Thread(stop, "stop-" + layer));
                }
            }
            stopping.forEach(Thread::start);
            for (Thread thread : stopping) {
                try {
                    thread.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
