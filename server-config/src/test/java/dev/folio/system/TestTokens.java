package dev.folio.system;

import dev.folio.auth.DemoUsers;
import dev.folio.auth.IssuedToken;
import dev.folio.auth.TokenIssuer;
import dev.folio.auth.TokenUse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.lang.JoseException;

/**
 * The system tests' signing key, made once per run and given to every node as the development
 * issuer's ({@link #nodeEnvironment}), so that tests can mint the tokens they need: long-lived ones
 * for clients that edit for minutes, and the bad ones a security test presents (expired, from
 * another key, for another audience).
 */
final class TestTokens {

    static final String ISSUER = "folio-dev-issuer";
    static final String AUDIENCE = "folio";

    private static TestTokens shared;

    final Path keyFile;
    private final KeyPair keys;
    private final TokenIssuer issuer;

    private TestTokens(Path keyFile, KeyPair keys) {
        this.keyFile = keyFile;
        this.keys = keys;
        this.issuer = issuerFor(keys, ISSUER, AUDIENCE);
    }

    static synchronized TestTokens shared() {
        if (shared == null) {
            try {
                KeyPair keys = newKeys();
                Path file = SuitePaths.work().resolve("auth/signing-key.pem");
                Files.createDirectories(file.getParent());
                Files.writeString(file, pem(keys), StandardCharsets.US_ASCII);
                shared = new TestTokens(file, keys);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return shared;
    }

    /** What a node needs to issue and check the suite's tokens (docs/security.md). */
    Map<String, String> nodeEnvironment() {
        return Map.of(
                "FOLIO_AUTH_DEV_ISSUER", "true",
                "FOLIO_AUTH_SIGNING_KEY_LOCATION", keyFile.toString(),
                // Short, so that the browser tests refresh for real while they type.
                "FOLIO_AUTH_ACCESS_TOKEN_SECONDS", "30",
                "FOLIO_AUTH_REFRESH_WARNING_SECONDS", "10");
    }

    /** An access token of a demo user ({@code editor}, {@code editor2}, {@code viewer}, {@code admin}) for an hour. */
    String access(String user) {
        return mint(user, TokenUse.ACCESS, Duration.ofHours(1)).token();
    }

    /**
     * The person the system tests act as unless they say otherwise: not a demo user, so that
     * nothing the browser tests do to the demo users' sessions (a sign-out everywhere after a
     * refresh token was reused, say) touches the other tests' tokens.
     */
    static final String TESTER = "System test";

    /** An access token of {@link #TESTER}, for an hour. */
    String tester() {
        return accessAsPerson(TESTER);
    }

    /** An access token of the person {@code name} that lives {@code lifetime}. */
    String mintPerson(String name, Duration lifetime) {
        return issuer.issue(
                        new DemoUsers.User(personId(name), name, java.util.Set.of("writer")), TokenUse.ACCESS, lifetime)
                .token();
    }

    /**
     * An access token for an hour of a person who is no demo user, named {@code name}, with the id
     * {@link #personId}: for tests where who is who matters (presence shows the token's name).
     */
    String accessAsPerson(String name) {
        return issuer.issue(
                        new DemoUsers.User(personId(name), name, java.util.Set.of("writer")),
                        TokenUse.ACCESS,
                        Duration.ofHours(1))
                .token();
    }

    static String personId(String name) {
        return java.util
                .UUID
                .nameUUIDFromBytes(("person " + name).getBytes(StandardCharsets.UTF_8))
                .toString();
    }

    IssuedToken mint(String user, TokenUse use, Duration lifetime) {
        return issuer.issue(user(user), use, lifetime);
    }

    static DemoUsers.User user(String name) {
        return DemoUsers.ALL.stream()
                .filter(user -> user.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no demo user " + name));
    }

    static String id(String user) {
        return user(user).id();
    }

    /** Tokens signed by a key no node trusts, or with other claims: each must be refused. */
    static TokenIssuer issuerFor(KeyPair keys, String issuer, String audience) {
        try {
            String keyId = PublicJsonWebKey.Factory.newPublicJwk(keys.getPublic())
                    .calculateBase64urlEncodedThumbprint("SHA-256");
            return new TokenIssuer(keys.getPrivate(), keyId, issuer, audience);
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Tokens of the suite's key with another issuer or audience. */
    TokenIssuer issuerWith(String issuerName, String audience) {
        return issuerFor(keys, issuerName, audience);
    }

    static KeyPair newKeys() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pem(KeyPair keys) {
        return "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(keys.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
    }
}
