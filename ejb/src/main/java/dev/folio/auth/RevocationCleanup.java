package dev.folio.auth;

import jakarta.ejb.EJB;
import jakarta.ejb.Schedule;
import jakarta.ejb.Singleton;
import java.time.Instant;
import java.util.logging.Logger;

/** Hourly: forgets revocations of tokens that have expired, so the list stays small. */
@Singleton
public class RevocationCleanup {

    private static final Logger LOG = Logger.getLogger(RevocationCleanup.class.getName());

    @EJB
    RevocationList revocations;

    @Schedule(minute = "17", hour = "*", persistent = false)
    void forgetExpired() {
        // Tokens pass until a while after their expiry (the verifier's clock skew): keep their
        // revocations an hour longer, or a revoked token would be good again for that while.
        int forgotten = revocations.forgetExpired(Instant.now().minusSeconds(3600));
        LOG.fine(() -> forgotten + " revocations of expired tokens forgotten");
    }
}
