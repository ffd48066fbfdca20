package dev.folio.auth;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Optional;
import java.util.logging.Logger;
import org.eclipse.microprofile.metrics.MetricRegistry;

/**
 * Signs people in for the local run and the tests: the {@link DemoUsers}, an access token and a
 * refresh token each time. A refresh token is good once: refreshing revokes it and issues a new
 * pair, so a stolen one that is used shows up as a refused refresh of the real owner.
 */
@ApplicationScoped
public class DevelopmentIssuer {

    private static final Logger LOG = Logger.getLogger(DevelopmentIssuer.class.getName());

    @Inject
    Authenticator authenticator;

    @EJB
    RevocationList revocations;

    @Inject
    SignInLimit limit;

    /** {@code folio_auth_sign_ins_limited_total}: sign-ins refused by the limit, unlogged but for FINE. */
    @Inject
    MetricRegistry metrics;

    /** A signed-in person: their tokens and who they are. */
    public record SignedIn(IssuedToken access, IssuedToken refresh, DemoUsers.User user) {}

    public boolean isOn() {
        return authenticator.devIssuerOn();
    }

    /**
     * Signs {@code name} in from {@code address} (the client's), as {@link SignInLimit} allows.
     *
     * @return empty for a wrong name or password
     * @throws SignInLimitedException when the name or address had too many wrong passwords lately
     */
    public Optional<SignedIn> signIn(String name, String password, String address) {
        requireOn();
        try {
            limit.attempt(name, address);
        } catch (SignInLimitedException e) {
            metrics.counter("folio.auth.sign-ins.limited").inc();
            LOG.fine(() -> "sign-in limited for the name " + quoted(name) + " from " + quoted(address));
            throw e;
        }
        Instant now = Instant.now();
        Optional<SignedIn> signedIn = DemoUsers.signIn(name, password).map(user -> tokensFor(user, now));
        if (signedIn.isEmpty()) {
            LOG.info(() -> "sign-in refused for the name " + quoted(name));
        } else {
            limit.succeeded(name, address);
            LOG.info(() -> "user " + signedIn.get().user().id() + " (" + name + ") signed in");
        }
        return signedIn;
    }

    /**
     * @throws TokenRejectedException if the refresh token is not valid, expired, revoked or used
     */
    public SignedIn refresh(String refreshToken) {
        requireOn();
        VerifiedToken token;
        try {
            token = authenticator.verifyRefresh(refreshToken);
        } catch (TokenRejectedException e) {
            if (TokenRejectedException.REVOKED.equals(e.code())) {
                signOutOnReuse(refreshToken);
            }
            throw e;
        }
        DemoUsers.User user = DemoUsers.byId(token.subject())
                .orElseThrow(() -> new TokenRejectedException(TokenRejectedException.INVALID, "no such user"));
        // Whoever revokes it first refreshes; a rival with the same cookie at the same moment does not.
        if (!revocations.revoke(token.tokenId(), token.expiresAt())) {
            throw new TokenRejectedException(TokenRejectedException.REVOKED, "this refresh token was just used");
        }
        LOG.fine(() -> "user " + user.id() + " refreshed");
        return tokensFor(user, token.signedInAt());
    }

    /**
     * A used refresh token came back: either a tab that lost a race, or a thief (or its victim)
     * after the other used it. Either way every token of the user stops counting, and the owner
     * signs in again; the log says so.
     */
    private void signOutOnReuse(String refreshToken) {
        authenticator.subjectOfSignedRefresh(refreshToken).ifPresent(subject -> {
            revocations.signOutEverywhere(subject, Instant.now());
            LOG.warning(() -> "user " + subject + ": a used refresh token was presented again; every token of the"
                    + " user is revoked (a stolen cookie, or two tabs refreshing at once)");
        });
    }

    /** Revokes what it is given; a token that does not verify needs no revoking. */
    public void signOut(String refreshToken, String accessToken) {
        requireOn();
        try {
            VerifiedToken refresh = authenticator.verifyRefresh(refreshToken);
            revocations.revoke(refresh.tokenId(), refresh.expiresAt());
            LOG.info(() -> "user " + refresh.subject() + " signed out");
        } catch (TokenRejectedException alreadyUnusable) {
            // nothing to revoke
        }
        try {
            var access = authenticator.authenticate(accessToken);
            revocations.revoke(access.tokenId(), access.expiresAt());
        } catch (TokenRejectedException alreadyUnusable) {
            // nothing to revoke
        }
    }

    private SignedIn tokensFor(DemoUsers.User user, Instant signedInAt) {
        return new SignedIn(
                authenticator.issue(user, TokenUse.ACCESS, signedInAt),
                authenticator.issue(user, TokenUse.REFRESH, signedInAt),
                user);
    }

    private void requireOn() {
        if (!isOn()) {
            throw new IllegalStateException("the development issuer is off");
        }
    }

    private static String quoted(String name) {
        String shown = name == null ? "" : name.length() > 64 ? name.substring(0, 64) + "…" : name;
        return "\"" + shown.replaceAll("\\p{Cntrl}", "?") + "\"";
    }
}
