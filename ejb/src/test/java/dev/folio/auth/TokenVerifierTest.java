package dev.folio.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Set;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.keys.HmacKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the verifier accepts: RS256 tokens of a trusted key, issuer and audience, and nothing else. */
class TokenVerifierTest {

    static final DemoUsers.User EDITOR = DemoUsers.ALL.get(0);
    static final Duration MAX_LIFETIME = Duration.ofHours(24);

    final KeyPair keys = newKeys();
    final TokenIssuer issuer = issuer(keys, "folio-dev-issuer", "folio");
    final TokenVerifier cut = verifier(keys);

    @Test
    void aValidAccessTokenNamesItsUserGroupsAndLifetime() {
        IssuedToken issued = issuer.issue(EDITOR, TokenUse.ACCESS, Duration.ofMinutes(5));
        VerifiedToken token = cut.verify(issued.token(), TokenUse.ACCESS);
        assertEquals(EDITOR.id(), token.subject());
        assertEquals("editor", token.name());
        assertEquals(Set.of("writer"), token.groups());
        assertEquals(issued.tokenId(), token.tokenId());
        assertEquals(issued.expiresAt(), token.expiresAt());
    }

    @Test
    void aTokenSaysWhenItsUserSignedInOrElseItsIssueTime() throws Exception {
        Instant signedIn =
                Instant.ofEpochSecond(Instant.now().minus(Duration.ofHours(3)).getEpochSecond());
        String refreshed = issuer.issue(EDITOR, TokenUse.REFRESH, Duration.ofMinutes(5), signedIn)
                .token();
        assertEquals(signedIn, cut.verify(refreshed, TokenUse.REFRESH).signedInAt());

        JwtClaims claims = new JwtClaims(); // another issuer's access token, without auth_time
        claims.setIssuer("folio-dev-issuer");
        claims.setAudience("folio");
        claims.setSubject("someone");
        claims.setGeneratedJwtId();
        claims.setIssuedAtToNow();
        claims.setExpirationTimeMinutesInTheFuture(5);
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(keys.getPrivate());
        jws.setKeyIdHeaderValue(TrustedKeys.thumbprint(keys.getPublic()));
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        VerifiedToken external = cut.verify(jws.getCompactSerialization(), TokenUse.ACCESS);
        assertEquals(external.issuedAt(), external.signedInAt());
    }

    @Test
    void noTokenOutlivesItsSession() {
        Instant now = Instant.parse("2026-12-02T12:00:00Z");
        Duration eightHours = Duration.ofHours(8);
        int week = 7 * 24 * 3600;
        assertEquals(
                eightHours, Authenticator.lifetimeWithinSession(eightHours, now.minus(Duration.ofDays(1)), week, now));
        assertEquals(
                Duration.ofHours(2),
                Authenticator.lifetimeWithinSession(
                        eightHours, now.minus(Duration.ofDays(7)).plus(Duration.ofHours(2)), week, now),
                "the last refresh token ends with the session");
        assertEquals(
                TokenRejectedException.EXPIRED,
                assertThrows(
                                TokenRejectedException.class,
                                () -> Authenticator.lifetimeWithinSession(
                                        eightHours, now.minus(Duration.ofDays(7)), week, now))
                        .code());
    }

    @Test
    void anExpiredTokenSaysSo() {
        String expired =
                issuer.issue(EDITOR, TokenUse.ACCESS, Duration.ofMinutes(-2)).token();
        assertEquals(TokenRejectedException.EXPIRED, refused(expired, TokenUse.ACCESS));
    }

    @Test
    void aTokenMadeToLiveLongerThanTheMaximumIsRefusedWhoeverSignedIt() {
        String century =
                issuer.issue(EDITOR, TokenUse.ACCESS, Duration.ofDays(36_500)).token();
        assertEquals(TokenRejectedException.TOO_LONG_LIVED, refused(century, TokenUse.ACCESS));
        String longRefresh = issuer.issue(EDITOR, TokenUse.REFRESH, MAX_LIFETIME.plusMinutes(1))
                .token();
        assertEquals(TokenRejectedException.TOO_LONG_LIVED, refused(longRefresh, TokenUse.REFRESH));
        String longest = issuer.issue(EDITOR, TokenUse.ACCESS, MAX_LIFETIME).token();
        assertEquals(EDITOR.id(), cut.verify(longest, TokenUse.ACCESS).subject());
    }

    @Test
    void aTokenOfAnotherKeyIssuerOrAudienceIsInvalid() {
        assertEquals(
                TokenRejectedException.INVALID,
                refused(
                        issuer(newKeys(), "folio-dev-issuer", "folio")
                                .issue(EDITOR, TokenUse.ACCESS, Duration.ofMinutes(5))
                                .token(),
                        TokenUse.ACCESS));
        assertEquals(
                TokenRejectedException.INVALID,
                refused(
                        issuer(keys, "elsewhere", "folio")
                                .issue(EDITOR, TokenUse.ACCESS, Duration.ofMinutes(5))
                                .token(),
                        TokenUse.ACCESS));
        assertEquals(
                TokenRejectedException.INVALID,
                refused(
                        issuer(keys, "folio-dev-issuer", "other-app")
                                .issue(EDITOR, TokenUse.ACCESS, Duration.ofMinutes(5))
                                .token(),
                        TokenUse.ACCESS));
    }

    @Test
    void aRefreshTokenOpensNothingAndAnAccessTokenRefreshesNothing() {
        assertEquals(
                TokenRejectedException.INVALID,
                refused(
                        issuer.issue(EDITOR, TokenUse.REFRESH, Duration.ofMinutes(5))
                                .token(),
                        TokenUse.ACCESS));
        assertEquals(
                TokenRejectedException.INVALID,
                refused(
                        issuer.issue(EDITOR, TokenUse.ACCESS, Duration.ofMinutes(5))
                                .token(),
                        TokenUse.REFRESH));
    }

    @Test
    void unsignedAndHmacTokensAreRefusedEvenWithGoodClaims() throws Exception {
        String good =
                issuer.issue(EDITOR, TokenUse.ACCESS, Duration.ofMinutes(5)).token();
        String payload = good.split("\\.")[1];
        String none = Base64.getUrlEncoder()
                        .withoutPadding()
                        .encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8))
                + "." + payload + ".";
        assertEquals(TokenRejectedException.INVALID, refused(none, TokenUse.ACCESS));

        // The classic confusion: HS256 keyed with the (public) verification key's bytes.
        JsonWebSignature hmac = new JsonWebSignature();
        hmac.setPayload(JwtClaims.parse(new String(Base64.getUrlDecoder().decode(payload), StandardCharsets.UTF_8))
                .toJson());
        hmac.setAlgorithmHeaderValue(AlgorithmIdentifiers.HMAC_SHA256);
        hmac.setKey(new HmacKey(keys.getPublic().getEncoded()));
        assertEquals(TokenRejectedException.INVALID, refused(hmac.getCompactSerialization(), TokenUse.ACCESS));

        String tampered = good.substring(0, good.length() - 4) + (good.endsWith("AAAA") ? "BBBB" : "AAAA");
        assertEquals(TokenRejectedException.INVALID, refused(tampered, TokenUse.ACCESS));
    }

    @Test
    void garbageIsInvalid() {
        for (String garbage : new String[] {"", "a", "a.b.c", "....", "x".repeat(TokenVerifier.MAX_TOKEN_LENGTH + 1)}) {
            assertEquals(TokenRejectedException.INVALID, refused(garbage, TokenUse.ACCESS), garbage);
        }
        assertEquals(TokenRejectedException.INVALID, refused(null, TokenUse.ACCESS));
    }

    @Test
    void keysComeFromAPemFileOrAJwksFile(@TempDir Path folder) throws Exception {
        Path pem = folder.resolve("public.pem");
        Files.writeString(pem, org.jose4j.keys.RsaKeyUtil.pemEncode(keys.getPublic()));
        TrustedKeys fromPem = new TrustedKeys();
        fromPem.addLocation(pem.toString());
        String token =
                issuer.issue(EDITOR, TokenUse.ACCESS, Duration.ofMinutes(5)).token();
        assertEquals(
                EDITOR.id(),
                new TokenVerifier(fromPem, "folio-dev-issuer", "folio", 0, MAX_LIFETIME)
                        .verify(token, TokenUse.ACCESS)
                        .subject());

        Path jwks = folder.resolve("keys.json");
        var jwk = org.jose4j.jwk.PublicJsonWebKey.Factory.newPublicJwk(keys.getPublic());
        jwk.setKeyId(TrustedKeys.thumbprint(keys.getPublic()));
        Files.writeString(jwks, new org.jose4j.jwk.JsonWebKeySet(jwk).toJson());
        TrustedKeys fromJwks = new TrustedKeys();
        fromJwks.addLocation("file:" + jwks);
        assertEquals(
                EDITOR.id(),
                new TokenVerifier(fromJwks, "folio-dev-issuer", "folio", 0, MAX_LIFETIME)
                        .verify(token, TokenUse.ACCESS)
                        .subject());
    }

    @Test
    void demoUsersSignInWithTheirOwnNameOnly() {
        assertEquals(EDITOR, DemoUsers.signIn("editor", "editor").orElseThrow());
        assertEquals(true, DemoUsers.signIn("editor", "admin").isEmpty());
        assertEquals(true, DemoUsers.signIn("nobody", "nobody").isEmpty());
        assertEquals(true, DemoUsers.signIn("editor", null).isEmpty());
    }

    private String refused(String token, TokenUse use) {
        return assertThrows(TokenRejectedException.class, () -> cut.verify(token, use))
                .code();
    }

    static KeyPair newKeys() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static TokenIssuer issuer(KeyPair keys, String issuerName, String audience) {
        return new TokenIssuer(keys.getPrivate(), TrustedKeys.thumbprint(keys.getPublic()), issuerName, audience);
    }

    static TokenVerifier verifier(KeyPair keys) {
        TrustedKeys trusted = new TrustedKeys();
        trusted.add(TrustedKeys.thumbprint(keys.getPublic()), keys.getPublic());
        return new TokenVerifier(trusted, "folio-dev-issuer", "folio", 0, MAX_LIFETIME);
    }
}
