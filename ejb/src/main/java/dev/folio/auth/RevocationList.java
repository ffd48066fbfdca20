package dev.folio.auth;

import java.time.Instant;

/** Tokens that no longer count although unexpired, shared by every node (docs/security.md). */
public interface RevocationList {

    /**
     * Revokes one token, until it would have expired anyway.
     *
     * @return false if it was revoked already (by this call's rival, when two race)
     */
    boolean revoke(String tokenId, Instant expiresAt);

    /** Revokes every token of the user issued up to {@code at}: "sign out everywhere". */
    void signOutEverywhere(String userId, Instant at);

    boolean isRevoked(String tokenId, String userId, Instant issuedAt);

    /** Forgets revocations of tokens that expired before {@code before}; returns how many. */
    int forgetExpired(Instant now);
}
