package dev.folio.document.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RateByKeyTest {

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    @Test
    void aUserJoinsABurstThenAtTheRateAndIsToldHowLongToWait() {
        RateByKey joins = new RateByKey(60, 3);
        long now = 5 * SECOND;
        for (int i = 0; i < 3; i++) {
            assertEquals(Duration.ZERO, joins.take("ann", now), "join " + i + " of the burst");
        }
        Duration wait = joins.take("ann", now);
        assertTrue(
                wait.compareTo(Duration.ofMillis(990)) > 0 && wait.compareTo(Duration.ofSeconds(1)) <= 0,
                wait::toString);
        assertEquals(Duration.ZERO, joins.take("bob", now), "another user has a bucket of their own");
        assertEquals(Duration.ZERO, joins.take("ann", now + SECOND), "one join a second at 60 a minute");
        assertTrue(joins.take("ann", now + SECOND).compareTo(Duration.ZERO) > 0);
    }

    @Test
    void usersWhoseBucketsRefilledAreForgotten() {
        RateByKey joins = new RateByKey(60, 2);
        joins.take("ann", 0);
        joins.take("bob", 0);
        joins.take("bob", 0);
        joins.forgetRested(SECOND);
        assertEquals(1, joins.remembered(), "ann refilled after a second, bob needs two");
        joins.forgetRested(2 * SECOND);
        assertEquals(0, joins.remembered());
        assertEquals(Duration.ZERO, joins.take("bob", 2 * SECOND), "forgotten is the same as full");
    }

    @Test
    void aClockThatGoesBackNeitherAddsNorRemovesTokens() {
        TokenBucket bucket = new TokenBucket(1, 1, 10 * SECOND);
        assertTrue(bucket.tryTake(10 * SECOND));
        assertTrue(!bucket.tryTake(5 * SECOND));
        assertTrue(!bucket.tryTake(10 * SECOND + SECOND / 2));
        assertTrue(bucket.tryTake(11 * SECOND));
    }
}
