package dev.folio.auth;

import java.time.Instant;

/** A token just signed, with what the issuer must remember of it. */
public record IssuedToken(String token, String tokenId, Instant expiresAt) {}
