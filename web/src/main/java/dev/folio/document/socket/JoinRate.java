package dev.folio.document.socket;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How often each user may join documents on this node: a {@link TokenBucket} per user. Every join
 * costs the node a document lookup, a role lookup, perhaps a new editing site (a database row) and
 * a catch-up of up to a snapshot's size; a client that closes and joins again in a loop would repeat
 * all of it (issue 19: six viewers looping joins took 16 CPU-seconds in 10 s). A bucket that has
 * refilled is forgotten, as it is no different from a new one, so a user costs memory only while
 * joining faster than the rate.
 */
final class JoinRate {

    private final double perSecond;
    private final int burst;
    private final ConcurrentHashMap<String, TokenBucket> byUser = new ConcurrentHashMap<>();

    JoinRate(int perMinute, int burst) {
        if (perMinute <= 0 || burst <= 0) {
            throw new IllegalArgumentException("join rates and bursts are positive");
        }
        this.perSecond = perMinute / 60.0;
        this.burst = burst;
    }

    /** Takes a join of {@code user}: zero if it may join now, otherwise how long it has to wait. */
    Duration take(String user, long nowNanos) {
        TokenBucket bucket = byUser.computeIfAbsent(user, id -> new TokenBucket(perSecond, burst, nowNanos));
        if (bucket.tryTake(nowNanos)) {
            return Duration.ZERO;
        }
        return Duration.ofNanos(bucket.nanosUntilNext(nowNanos));
    }

    /** Forgets the users whose buckets refilled. */
    void forgetRested(long nowNanos) {
        byUser.values().removeIf(bucket -> bucket.isFull(nowNanos));
    }

    /** Users remembered: those who joined faster than the rate lately. */
    int remembered() {
        return byUser.size();
    }
}
