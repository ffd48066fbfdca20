package dev.folio.document.socket;

/**
 * How fast one session may send deltas: a token bucket of {@code burst} deltas refilled at {@code
 * perSecond}. Typing makes a few deltas a second and a reconnecting client resends its outbox at
 * once, which the burst absorbs; a client that keeps sending faster is told to slow down before
 * its deltas pile up in the node's queues and the log. Not thread-safe: one session's frames come
 * one at a time.
 */
final class DeltaRateLimit {

    private final double perNano;
    private final double burst;
    private double tokens;
    private long lastNanos = System.nanoTime();

    DeltaRateLimit(int perSecond, int burst) {
        if (perSecond <= 0 || burst <= 0) {
            throw new IllegalArgumentException("rates and bursts are positive");
        }
        this.perNano = perSecond / 1e9;
        this.burst = burst;
        this.tokens = burst;
    }

    /** Takes one delta's token, if there is one. */
    boolean tryTake(long nowNanos) {
        tokens = Math.min(burst, tokens + (nowNanos - lastNanos) * perNano);
        lastNanos = nowNanos;
        if (tokens < 1) {
            return false;
        }
        tokens--;
        return true;
    }
}
