package dev.folio.auth;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Wrong passwords are counted per name and per address, come back with time, and cost bounded memory. */
class SignInLimitTest {

    static final int PER_NAME = 5;
    static final int PER_ADDRESS = 12;
    static final int WINDOW_SECONDS = 60;
    static final int TRACKED = 100;

    final AtomicLong nanos = new AtomicLong();
    final SignInLimit cut = started(new SignInLimit(PER_NAME, PER_ADDRESS, WINDOW_SECONDS, TRACKED));

    @Test
    void wrongPasswordsForOneNameAreLimitedFromAnyAddress() {
        for (int i = 0; i < PER_NAME; i++) {
            cut.attempt("admin", "10.0.0." + i);
        }
        SignInLimitedException limited =
                assertThrows(SignInLimitedException.class, () -> cut.attempt("admin", "10.0.0.99"));
        assertEquals(WINDOW_SECONDS / PER_NAME, limited.retryAfterSeconds());
        assertDoesNotThrow(() -> cut.attempt("editor", "10.0.0.99"), "other names are not held up");
    }

    @Test
    void oneAddressTryingManyNamesIsLimited() {
        for (int i = 0; i < PER_ADDRESS; i++) {
            cut.attempt("name-" + i, "192.0.2.1");
        }
        assertThrows(SignInLimitedException.class, () -> cut.attempt("name-new", "192.0.2.1"));
        assertDoesNotThrow(() -> cut.attempt("name-new", "192.0.2.2"), "the name was not charged by the refusal");
    }

    @Test
    void aLimitedNameIsFreeAgainOnceItsGuesserWaitsRetryAfter() {
        for (int i = 0; i < PER_NAME; i++) {
            cut.attempt("admin", "192.0.2.1");
        }
        SignInLimitedException limited =
                assertThrows(SignInLimitedException.class, () -> cut.attempt("admin", "192.0.2.1"));
        nanos.addAndGet(Duration.ofSeconds(limited.retryAfterSeconds()).toNanos());
        assertDoesNotThrow(() -> cut.attempt("admin", "192.0.2.1"));
        nanos.addAndGet(Duration.ofSeconds(WINDOW_SECONDS).toNanos());
        for (int i = 0; i < PER_NAME; i++) {
            cut.attempt("admin", "192.0.2.1");
        }
    }

    @Test
    void rightPasswordsCostNothing() {
        for (int i = 0; i < 10 * PER_ADDRESS; i++) {
            cut.attempt("editor", "192.0.2.1");
            cut.succeeded("editor", "192.0.2.1");
        }
        assertEquals(0, cut.remembered(), "full buckets are not kept");
    }

    @Test
    void cyclingThroughNamesAndAddressesKeepsAtMostTheTrackedNumberOfEach() {
        for (int i = 0; i < 100_000; i++) {
            try {
                cut.attempt("name-" + i + "x".repeat(i % 1000), "address-" + i);
            } catch (SignInLimitedException e) {
                throw new AssertionError("a new name from a new address is never limited", e);
            }
            assertTrue(cut.remembered() <= 2 * TRACKED);
        }
    }

    private SignInLimit started(SignInLimit limit) {
        limit.start(nanos::get);
        return limit;
    }
}
