package dev.folio.auth;

import dev.folio.access.Caller;
import jakarta.annotation.PostConstruct;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;

/**
 * Turns a presented access token into a {@link Caller}, or refuses it: signature, issuer,
 * audience, lifetime and use ({@link TokenVerifier}), then the shared {@link RevocationList}. Also
 * holds the development issuer's signing key when that issuer is on. Configured the MicroProfile
 * JWT way ({@code mp.jwt.verify.*}); docs/security.md lists every setting.
 */
@ApplicationScoped
public class Authenticator {

    private static final Logger LOG = Logger.getLogger(Authenticator.class.getName());

    @Inject
    @ConfigProperty(name = "folio.auth.dev-issuer", defaultValue = "false")
    boolean devIssuerOn;

    /** The address the node's HTTP listener binds (FOLIO_BIND_ADDRESS; the local stack's scripts set it). */
    @Inject
    @ConfigProperty(name = "folio.bind-address", defaultValue = "127.0.0.1")
    String bindAddress;

    /** Lets the development issuer run on a node other machines can reach (its demo passwords are public). */
    @Inject
    @ConfigProperty(name = "folio.auth.dev-issuer-on-network", defaultValue = "false")
    boolean devIssuerOnNetwork;

    @Inject
    @ConfigProperty(name = "folio.auth.issuer", defaultValue = "folio-dev-issuer")
    String issuerName;

    @Inject
    @ConfigProperty(name = "mp.jwt.verify.issuer")
    Optional<String> expectedIssuer;

    @Inject
    @ConfigProperty(name = "mp.jwt.verify.audiences", defaultValue = "folio")
    String audience;

    @Inject
    @ConfigProperty(name = "mp.jwt.verify.publickey.location")
    Optional<String> publicKeyLocation;

    @Inject
    @ConfigProperty(name = "folio.auth.signing-key.location")
    Optional<String> signingKeyLocation;

    @Inject
    @ConfigProperty(name = "folio.auth.clock-skew-seconds", defaultValue = "30")
    int clockSkewSeconds;

    /** The longest lifetime a token may be made with, by any issuer (a century-long one was accepted: issue 19). */
    @Inject
    @ConfigProperty(name = "folio.auth.max-token-lifetime-seconds", defaultValue = "86400")
    int maxTokenLifetimeSeconds;

    @Inject
    @ConfigProperty(name = "folio.auth.access-token-seconds", defaultValue = "300")
    int accessTokenSeconds;

    @Inject
    @ConfigProperty(name = "folio.auth.refresh-token-seconds", defaultValue = "28800")
    int refreshTokenSeconds;

    @Inject
    @ConfigProperty(name = "folio.auth.session-max-seconds", defaultValue = "604800")
    int sessionMaxSeconds;

    @EJB
    RevocationList revocations;

    @EJB
    KnownUsers knownUsers;

    /** {@code folio_auth_refused_total{code=...}}: refused tokens, by why. */
    @Inject
    MetricRegistry metrics;

    /** Users remembered in {@link KnownUsers} by this node already: each once, not per request. */
    private final Set<String> remembered = ConcurrentHashMap.newKeySet();

    private TokenVerifier verifier;
    private TokenIssuer issuer;

    @PostConstruct
    void start() {
        TrustedKeys keys = new TrustedKeys();
        try {
            if (devIssuerOn && reachableFromOtherMachines(bindAddress) && !devIssuerOnNetwork) {
                LOG.severe("the development issuer stays off: the node listens on " + bindAddress
                        + ", which other machines can reach, and anyone there could sign in with the demo passwords;"
                        + " bind to 127.0.0.1, or set FOLIO_AUTH_DEV_ISSUER_ON_NETWORK=true on a network you trust");
            } else if (devIssuerOn) {
                PrivateKey signing = signingKey();
                PublicKey verifying = TrustedKeys.publicHalf(signing);
                String keyId = TrustedKeys.thumbprint(verifying);
                keys.add(keyId, verifying);
                issuer = new TokenIssuer(signing, keyId, issuerName, audience);
                LOG.warning(
                        "the development issuer is on: demo users can sign in (docs/security.md); never in production");
            }
            if (publicKeyLocation.isPresent()) {
                keys.addLocation(publicKeyLocation.get());
            }
        } catch (Exception e) {
            // Fail closed: with no key every token is refused, and the operator is told why.
            LOG.log(Level.SEVERE, "the token keys could not be read; every token will be refused", e);
        }
        if (keys.isEmpty()) {
            LOG.severe(
                    "no key to check tokens with: set mp.jwt.verify.publickey.location (MP_JWT_VERIFY_PUBLICKEY_LOCATION)"
                            + " or turn on the development issuer; every request will be refused");
        }
        if (issuer != null && Math.max(accessTokenSeconds, refreshTokenSeconds) > maxTokenLifetimeSeconds) {
            LOG.severe("the development issuer's tokens live longer than folio.auth.max-token-lifetime-seconds ("
                    + maxTokenLifetimeSeconds + " s) and will be refused; raise it or shorten them");
        }
        verifier = new TokenVerifier(
                keys,
                expectedIssuer.orElse(issuerName),
                audience,
                clockSkewSeconds,
                Duration.ofSeconds(maxTokenLifetimeSeconds));
        if (issuer != null) {
            rememberDemoUsers();
        }
    }

    /**
     * Documents are shared only with known users; the demo users are known from the start, so that
     * they can be shared with before they first sign in. Every API call needs this bean first.
     */
    private void rememberDemoUsers() {
        try {
            DemoUsers.ALL.forEach(user -> knownUsers.remember(user.id(), user.name()));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "the demo users could not be remembered now; each is once it signs in", e);
        }
    }

    private PrivateKey signingKey() throws Exception {
        if (signingKeyLocation.isPresent()) {
            return TrustedKeys.readPrivateKey(Path.of(signingKeyLocation.get()));
        }
        LOG.warning("no folio.auth.signing-key.location: the development issuer signs with a key made now, which"
                + " only this node knows, and which a restart forgets; give every node the same key file");
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        return pair.getPrivate();
    }

    /**
     * @throws TokenRejectedException if the token is not a valid, unrevoked access token
     */
    public Caller authenticate(String accessToken) {
        try {
            return check(accessToken);
        } catch (TokenRejectedException e) {
            metrics.counter("folio.auth.refused", new Tag("code", e.code())).inc();
            throw e;
        }
    }

    private Caller check(String accessToken) {
        if (accessToken == null || accessToken.isEmpty()) {
            throw new TokenRejectedException(TokenRejectedException.MISSING, "sign in: no access token was sent");
        }
        Caller caller = verifier.verify(accessToken, TokenUse.ACCESS).caller();
        checkNotRevoked(caller.tokenId(), caller.id(), caller.issuedAt());
        if (remembered.add(caller.id())) {
            knownUsers.remember(caller.id(), caller.name());
        }
        return caller;
    }

    /** Whether a caller's token has been revoked since it was checked (live sessions ask again). */
    public boolean isRevoked(Caller caller) {
        return revocations.isRevoked(caller.tokenId(), caller.id(), caller.issuedAt());
    }

    VerifiedToken verifyRefresh(String refreshToken) {
        VerifiedToken token = verifier.verify(refreshToken, TokenUse.REFRESH);
        checkNotRevoked(token.tokenId(), token.subject(), token.issuedAt());
        return token;
    }

    /** The subject of a refresh token whose signature and claims are good, revoked or not. */
    Optional<String> subjectOfSignedRefresh(String refreshToken) {
        try {
            return Optional.of(verifier.verify(refreshToken, TokenUse.REFRESH).subject());
        } catch (TokenRejectedException e) {
            return Optional.empty();
        }
    }

    private void checkNotRevoked(String tokenId, String userId, Instant issuedAt) {
        if (revocations.isRevoked(tokenId, userId, issuedAt)) {
            throw new TokenRejectedException(TokenRejectedException.REVOKED, "the token was revoked; sign in again");
        }
    }

    boolean devIssuerOn() {
        return issuer != null;
    }

    /** Whether a listener bound to {@code address} takes connections from other machines. */
    static boolean reachableFromOtherMachines(String address) {
        if (address == null || address.isBlank()) {
            return true; // a listener with no address binds them all
        }
        try {
            return !InetAddress.getByName(address.trim()).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return true; // unknown: assume the worst
        }
    }

    /**
     * A token for someone who signed in at {@code signedInAt}: its usual lifetime, but never past
     * the end of the session ({@code folio.auth.session-max-seconds} after signing in).
     *
     * @throws TokenRejectedException when the session has ended
     */
    IssuedToken issue(DemoUsers.User user, TokenUse use, Instant signedInAt) {
        Duration usual = Duration.ofSeconds(use == TokenUse.ACCESS ? accessTokenSeconds : refreshTokenSeconds);
        Duration lifetime = lifetimeWithinSession(usual, signedInAt, sessionMaxSeconds, Instant.now());
        return issuer.issue(user, use, lifetime, signedInAt);
    }

    /** @throws TokenRejectedException when less than a second of the session is left */
    static Duration lifetimeWithinSession(Duration usual, Instant signedInAt, int sessionMaxSeconds, Instant now) {
        Duration left = Duration.between(now, signedInAt.plusSeconds(sessionMaxSeconds));
        if (left.getSeconds() < 1) {
            throw new TokenRejectedException(
                    TokenRejectedException.EXPIRED,
                    "the session has lasted its " + sessionMaxSeconds + " s; sign in again");
        }
        return usual.compareTo(left) < 0 ? usual : left;
    }

    public int accessTokenSeconds() {
        return accessTokenSeconds;
    }

    public int refreshTokenSeconds() {
        return refreshTokenSeconds;
    }
}
