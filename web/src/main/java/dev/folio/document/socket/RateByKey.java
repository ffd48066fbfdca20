package dev.folio.document.socket;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How often each of many (users, addresses) may do something on this node: a {@link TokenBucket}
 * per key. Used for joins per user (each costs lookups, perhaps a new editing site, and a catch-up;
 * six viewers looping joins took 16 CPU-seconds in 10 s, issue 19) and handshakes per address. A
 * bucket that has refilled is forgotten, as it is no different from a new one, so a key costs
 * memory only while it goes faster than the rate.
 */
final class RateByKey {

    private final double perSecond;
    private final int burst;
    private final ConcurrentHashMap<String, TokenBucket> byKey = new ConcurrentHashMap<>();

    RateByKey(int perMinute, int burst) {
        if (perMinute <= 0 || burst <= 0) {
            throw new IllegalArgumentException("rates and bursts are positive");
        }
        this.perSecond = perMinute / 60.0;
        this.burst = burst;
    }

    /** Takes one for {@code key}: zero if it may go on now, otherwise how long it has to wait. */
    Duration take(String key, long nowNanos) {
        TokenBucket bucket = byKey.computeIfAbsent(key, id -> new TokenBucket(perSecond, burst, nowNanos));
        if (bucket.tryTake(nowNanos)) {
            return Duration.ZERO;
        }
        return Duration.ofNanos(bucket.nanosUntilNext(nowNanos));
    }

    /** Forgets the keys whose buckets refilled. */
    void forgetRested(long nowNanos) {
        byKey.values().removeIf(bucket -> bucket.isFull(nowNanos));
    }

    /** Keys remembered: those that went faster than the rate lately. */
    int remembered() {
        return byKey.size();
    }
}
