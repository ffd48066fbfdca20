package dev.folio.auth;

import java.time.Duration;

/** Too many wrong passwords lately for a user name or from an address ({@link SignInLimit}). */
public class SignInLimitedException extends RuntimeException {

    private final Duration retryAfter;

    public SignInLimitedException(Duration retryAfter) {
        super("too many sign-in attempts; try again in " + wholeSeconds(retryAfter) + " s");
        this.retryAfter = retryAfter;
    }

    /** When an attempt is counted again, in whole seconds, at least 1 (for Retry-After). */
    public long retryAfterSeconds() {
        return wholeSeconds(retryAfter);
    }

    private static long wholeSeconds(Duration wait) {
        long seconds = wait.toSeconds() + (wait.toNanosPart() > 0 ? 1 : 0);
        return Math.max(1, seconds);
    }
}
