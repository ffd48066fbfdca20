package dev.folio.auth;

import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.lang.JoseException;

/** Signs access and refresh tokens (RS256, MicroProfile JWT claims) for the development issuer. */
public final class TokenIssuer {

    private final PrivateKey key;
    private final String keyId;
    private final String issuer;
    private final String audience;

    public TokenIssuer(PrivateKey key, String keyId, String issuer, String audience) {
        this.key = key;
        this.keyId = keyId;
        this.issuer = issuer;
        this.audience = audience;
    }

    /** A token for someone who signs in now. */
    public IssuedToken issue(DemoUsers.User user, TokenUse use, Duration lifetime) {
        return issue(user, use, lifetime, Instant.now());
    }

    /** A token for someone who signed in at {@code signedInAt} (its {@code auth_time}). */
    public IssuedToken issue(DemoUsers.User user, TokenUse use, Duration lifetime, Instant signedInAt) {
        Instant now = Instant.now();
        Instant expires = now.plus(lifetime);
        String id = UUID.randomUUID().toString();
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(issuer);
        claims.setAudience(audience);
        claims.setSubject(user.id());
        claims.setClaim("upn", user.name());
        claims.setStringListClaim("groups", List.copyOf(user.groups()));
        claims.setIssuedAt(NumericDate.fromSeconds(now.getEpochSecond()));
        claims.setNumericDateClaim("auth_time", NumericDate.fromSeconds(signedInAt.getEpochSecond()));
        claims.setExpirationTime(NumericDate.fromSeconds(expires.getEpochSecond()));
        claims.setJwtId(id);
        claims.setClaim("token_use", use.claim);
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(key);
        jws.setKeyIdHeaderValue(keyId);
        jws.setHeader("typ", "JWT");
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        try {
            return new IssuedToken(jws.getCompactSerialization(), id, Instant.ofEpochSecond(expires.getEpochSecond()));
        } catch (JoseException e) {
            throw new IllegalStateException("signing a token failed", e);
        }
    }
}
