package dev.folio.auth;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwa.AlgorithmConstraints.ConstraintType;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.resolvers.VerificationKeyResolver;

/**
 * Checks a signed token (JWS compact form, MicroProfile JWT claims) with jose4j: RS256 only (so
 * neither {@code none} nor an HMAC keyed with the public key passes), a signature by one of the
 * trusted keys, the expected issuer and audience, an unexpired lifetime no longer than the maximum,
 * a subject, an id, and the {@code token_use} asked for.
 */
public final class TokenVerifier {

    /** Longer strings are refused before parsing: a real token is well under 2 KiB. */
    public static final int MAX_TOKEN_LENGTH = 8192;

    private final JwtConsumer consumer;
    private final Duration maxLifetime;

    /**
     * @param maxLifetime the longest a token may have been made to live ({@code exp - iat}), whoever
     *     signed it: a token that outlives every sign-out and revocation clean-up is refused
     */
    public TokenVerifier(
            VerificationKeyResolver keys, String issuer, String audience, int clockSkewSeconds, Duration maxLifetime) {
        if (maxLifetime.isNegative() || maxLifetime.isZero()) {
            throw new IllegalArgumentException("a token's maximum lifetime is positive: " + maxLifetime);
        }
        this.maxLifetime = maxLifetime;
        this.consumer = new JwtConsumerBuilder()
                .setVerificationKeyResolver(keys)
                .setJwsAlgorithmConstraints(
                        new AlgorithmConstraints(ConstraintType.PERMIT, AlgorithmIdentifiers.RSA_USING_SHA256))
                .setExpectedIssuer(issuer)
                .setExpectedAudience(audience)
                .setRequireExpirationTime()
                .setRequireIssuedAt()
                // Not issued in the future (a clock ahead would let tokens outlive a sign-out).
                .setIssuedAtRestrictions(clockSkewSeconds, Integer.MAX_VALUE)
                .setRequireJwtId()
                .setRequireSubject()
                .setAllowedClockSkewInSeconds(clockSkewSeconds)
                .build();
    }

    /**
     * @throws TokenRejectedException ({@code token-expired}, {@code token-lifetime-too-long} or
     *     {@code invalid-token}) for anything but a valid token of {@code use}
     */
    public VerifiedToken verify(String token, TokenUse use) {
        if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_LENGTH) {
            throw new TokenRejectedException(TokenRejectedException.INVALID, "not a token");
        }
        JwtClaims claims;
        try {
            claims = consumer.processToClaims(token);
        } catch (InvalidJwtException e) {
            if (e.hasExpired()) {
                throw new TokenRejectedException(TokenRejectedException.EXPIRED, "the token has expired");
            }
            throw new TokenRejectedException(TokenRejectedException.INVALID, "the token is not valid here");
        }
        try {
            // Other issuers' access tokens carry no token_use; a refresh token always does.
            String tokenUse = claims.getClaimValueAsString("token_use");
            boolean rightUse = tokenUse == null ? use == TokenUse.ACCESS : use.claim.equals(tokenUse);
            if (!rightUse) {
                throw new TokenRejectedException(TokenRejectedException.INVALID, "not an " + use.claim + " token");
            }
            String subject = claims.getSubject();
            // The name as MicroProfile JWT finds it: upn, else preferred_username, else the subject.
            String name = claims.getClaimValueAsString("upn");
            if (name == null) {
                name = claims.getClaimValueAsString("preferred_username");
            }
            if (name == null) {
                name = subject;
            }
            if (subject.isBlank() || subject.length() > 255 || name == null || name.isBlank() || name.length() > 255) {
                throw new TokenRejectedException(TokenRejectedException.INVALID, "the token names no usable user");
            }
            List<String> groups = claims.hasClaim("groups") ? claims.getStringListClaimValue("groups") : List.of();
            Instant issuedAt = Instant.ofEpochSecond(claims.getIssuedAt().getValue());
            Instant expiresAt = Instant.ofEpochSecond(claims.getExpirationTime().getValue());
            if (Duration.between(issuedAt, expiresAt).compareTo(maxLifetime) > 0) {
                throw new TokenRejectedException(
                        TokenRejectedException.TOO_LONG_LIVED,
                        "the token was made to live longer than " + maxLifetime.toSeconds() + " s");
            }
            Instant signedInAt = claims.hasClaim("auth_time")
                    ? Instant.ofEpochSecond(
                            claims.getNumericDateClaimValue("auth_time").getValue())
                    : issuedAt;
            return new VerifiedToken(
                    subject, name, Set.copyOf(groups), claims.getJwtId(), issuedAt, expiresAt, signedInAt);
        } catch (MalformedClaimException | RuntimeException e) {
            if (e instanceof TokenRejectedException rejected) {
                throw rejected;
            }
            throw new TokenRejectedException(TokenRejectedException.INVALID, "the token's claims are malformed");
        }
    }
}
