package dev.folio.document;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class OutageBackoffTest {

    private static final long SECOND = Duration.ofSeconds(1).toNanos();

    @Test
    void nothingIsRefusedBeforeAFailure() {
        assertEquals(Duration.ZERO, new OutageBackoff().refusedFor(0));
    }

    @Test
    void aFailureRefusesOpeningForOneSecondThenLetsOneTry() {
        OutageBackoff backoff = new OutageBackoff();
        backoff.failed(10 * SECOND);
        assertEquals(Duration.ofSeconds(1), backoff.refusedFor(10 * SECOND));
        assertEquals(Duration.ofMillis(500), backoff.refusedFor(10 * SECOND + SECOND / 2));
        assertEquals(Duration.ZERO, backoff.refusedFor(11 * SECOND), "the window is over: one may try");
    }

    @Test
    void everyFurtherFailureDoublesTheWindowUpToTenSeconds() {
        OutageBackoff backoff = new OutageBackoff();
        long now = 0;
        long[] windows = {1, 2, 4, 8, 10, 10};
        for (long window : windows) {
            backoff.failed(now);
            assertEquals(Duration.ofSeconds(window), backoff.refusedFor(now));
            now += window * SECOND; // the next try, at the end of the window, fails again
        }
    }

    @Test
    void aFailureLongAfterTheLastWindowIsANewOutage() {
        OutageBackoff backoff = new OutageBackoff();
        backoff.failed(0);
        backoff.failed(SECOND);
        assertEquals(Duration.ofSeconds(2), backoff.refusedFor(SECOND));
        backoff.failed(60 * SECOND);
        assertEquals(Duration.ofSeconds(1), backoff.refusedFor(60 * SECOND));
    }

    @Test
    void aSuccessClosesItAndTheNextFailureStartsOver() {
        OutageBackoff backoff = new OutageBackoff();
        backoff.failed(0);
        backoff.failed(SECOND);
        backoff.succeeded();
        assertEquals(Duration.ZERO, backoff.refusedFor(SECOND));
        backoff.failed(5 * SECOND);
        assertEquals(Duration.ofSeconds(1), backoff.refusedFor(5 * SECOND));
        assertTrue(backoff.refusedFor(6 * SECOND).isZero());
    }
}
