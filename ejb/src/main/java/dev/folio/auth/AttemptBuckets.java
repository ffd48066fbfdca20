package dev.folio.auth;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * A token bucket of attempts per key (a user name, an address): each key may make {@code burst}
 * attempts at once and gains one back every {@code refill}. A key with a full bucket is not kept,
 * and at most {@code maxKeys} are: past that the one used longest ago is forgotten (and starts full
 * again), so someone cycling through names or addresses costs this much memory and no more.
 * Thread-safe.
 */
final class AttemptBuckets {

    private final int burst;
    private final long refillNanos;
    private final LongSupplier nanoClock;
    private final Map<String, Bucket> buckets;

    /** Attempts left, as of a moment; fractions are time towards the next one. */
    private static final class Bucket {
        double attempts;
        long atNanos;

        Bucket(double attempts, long atNanos) {
            this.attempts = attempts;
            this.atNanos = atNanos;
        }
    }

    AttemptBuckets(int burst, Duration refill, int maxKeys, LongSupplier nanoClock) {
        if (burst < 1 || refill.isNegative() || refill.isZero() || maxKeys < 1) {
            throw new IllegalArgumentException("burst, refill and maxKeys are positive");
        }
        this.burst = burst;
        this.refillNanos = refill.toNanos();
        this.nanoClock = nanoClock;
        this.buckets = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
                return size() > maxKeys;
            }
        };
    }

    /**
     * Takes one attempt for {@code key} if it has one left.
     *
     * @return empty when taken; otherwise how long until the key has an attempt again
     */
    synchronized Optional<Duration> take(String key) {
        Bucket bucket = refilled(key);
        if (bucket.attempts < 1) {
            buckets.put(key, bucket);
            return Optional.of(Duration.ofNanos((long) Math.ceil((1 - bucket.attempts) * refillNanos)));
        }
        bucket.attempts--;
        buckets.put(key, bucket);
        return Optional.empty();
    }

    /** Gives back an attempt taken for {@code key} that is not to count (it succeeded, or another limit refused it). */
    synchronized void giveBack(String key) {
        Bucket bucket = refilled(key);
        bucket.attempts = Math.min(burst, bucket.attempts + 1);
        if (bucket.attempts >= burst) {
            buckets.remove(key);
        } else {
            buckets.put(key, bucket);
        }
    }

    /** How many keys are remembered now: those whose bucket was not full when last used. */
    synchronized int remembered() {
        return buckets.size();
    }

    private Bucket refilled(String key) {
        long now = nanoClock.getAsLong();
        Bucket bucket = buckets.get(key);
        if (bucket == null) {
            return new Bucket(burst, now);
        }
        bucket.attempts = Math.min(burst, bucket.attempts + (double) (now - bucket.atNanos) / refillNanos);
        bucket.atNanos = now;
        return bucket;
    }
}
