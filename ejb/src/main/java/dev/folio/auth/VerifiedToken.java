package dev.folio.auth;

import dev.folio.access.Caller;
import java.time.Instant;
import java.util.Set;

/**
 * What a token's checked signature vouches for. {@code signedInAt} is when its user signed in (the
 * {@code auth_time} claim; the token's own issue time when it has none): refreshing carries it
 * along, so that a chain of refreshes ends.
 */
public record VerifiedToken(
        String subject,
        String name,
        Set<String> groups,
        String tokenId,
        Instant issuedAt,
        Instant expiresAt,
        Instant signedInAt) {

    public Caller caller() {
        return new Caller(subject, name, groups, tokenId, issuedAt, expiresAt);
    }
}
