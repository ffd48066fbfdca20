package dev.folio.document.socket;

/**
 * How fast a session, or a user, may do something: a bucket of {@code burst} tokens refilled at
 * {@code perSecond}. Typing makes a few deltas a second and a reconnecting client resends its
 * outbox at once, which the burst absorbs; a client that keeps going faster is stopped before its
 * frames pile up in the node's queues and the log. Synchronized: one session's frames come one at
 * a time, but one user's joins come from all of that user's sessions.
 */
final class TokenBucket {

    private final double perNano;
    private final double burst;
    private double tokens;
    private long lastNanos;

    TokenBucket(double perSecond, int burst, long nowNanos) {
        if (perSecond <= 0 || burst <= 0) {
            throw new IllegalArgumentException("rates and bursts are positive");
        }
        this.perNano = perSecond / 1e9;
        this.burst = burst;
        this.tokens = burst;
        this.lastNanos = nowNanos;
    }

    TokenBucket(double perSecond, int burst) {
        this(perSecond, burst, System.nanoTime());
    }

    /** Takes one token, if there is one. */
    synchronized boolean tryTake(long nowNanos) {
        refill(nowNanos);
        if (tokens < 1) {
            return false;
        }
        tokens--;
        return true;
    }

    /** How long until a token is there: zero if one is. */
    synchronized long nanosUntilNext(long nowNanos) {
        refill(nowNanos);
        return tokens >= 1 ? 0 : (long) Math.ceil((1 - tokens) / perNano);
    }

    /** Whether the bucket refilled completely: then it is no different from a new one. */
    synchronized boolean isFull(long nowNanos) {
        refill(nowNanos);
        return tokens >= burst;
    }

    private void refill(long nowNanos) {
        tokens = Math.min(burst, tokens + Math.max(0, nowNanos - lastNanos) * perNano);
        lastNanos = Math.max(lastNanos, nowNanos);
    }
}
