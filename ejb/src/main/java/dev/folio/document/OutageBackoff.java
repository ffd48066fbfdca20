package dev.folio.document;

import java.time.Duration;

/**
 * A circuit breaker for opening documents. After publishing or opening fails (the broker, Kafka or
 * the database is down), opening is refused at once for a window that starts at {@link #FIRST} and
 * doubles with every further failure up to {@link #LONGEST}; the first open after a window is let
 * through to try again (and the clients waiting behind it use the document it loads). A publish that
 * succeeds closes it; a load alone does not, since loading needs neither the broker nor a working
 * publish. Thread-safe.
 */
final class OutageBackoff {

    static final Duration FIRST = Duration.ofSeconds(1);
    static final Duration LONGEST = Duration.ofSeconds(10);

    private long window;
    private long openUntil;
    private boolean failing;

    /**
     * Something a document needs failed at {@code nowNanos}. The window doubles while failures
     * follow each other; one long after the last window is a new outage.
     */
    synchronized void failed(long nowNanos) {
        boolean goingOn = failing && nowNanos - openUntil < 2 * LONGEST.toNanos();
        window = goingOn ? Math.min(LONGEST.toNanos(), window * 2) : FIRST.toNanos();
        failing = true;
        openUntil = nowNanos + window;
    }

    synchronized void succeeded() {
        failing = false;
        window = 0;
    }

    /** How long opening is still refused at {@code nowNanos}: zero once it may be tried. */
    synchronized Duration refusedFor(long nowNanos) {
        return failing && nowNanos - openUntil < 0 ? Duration.ofNanos(openUntil - nowNanos) : Duration.ZERO;
    }
}
