package dev.folio.auth;

import dev.folio.access.Caller;
import java.time.Instant;
import java.util.Set;

/** What a token's checked signature vouches for. */
public record VerifiedToken(
        String subject, String name, Set<String> groups, String tokenId, Instant issuedAt, Instant expiresAt) {

    public Caller caller() {
        return new Caller(subject, name, groups, tokenId, issuedAt, expiresAt);
    }
}
