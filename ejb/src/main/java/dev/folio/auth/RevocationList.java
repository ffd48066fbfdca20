package dev.folio.auth;

import java.time.Instant;

/** Tokens that no longer count although unexpired, shared by every node (docs/security.md). */
public interface RevocationList {

    /** Revokes one token, until it would have expired anyway. */
    void revoke(String tokenId, Instant expiresAt);

    /** Revokes every token of the user issued up to {@code at}: "sign out everywhere". */
    void signOutEverywhere(String userId, Instant at);

    boolean isRevoked(String tokenId, String userId, Instant issuedAt);

    /** Forgets revocations of tokens that have expired by {@code now}; returns how many. */
    int forgetExpired(Instant now);
}
