package dev.folio.document.socket;

import dev.folio.access.DocumentAccess;
import dev.folio.access.DocumentRole;
import dev.folio.auth.Authenticator;
import dev.folio.auth.TokenRejectedException;
import dev.folio.document.DocumentManager;
import dev.folio.document.UnknownDocumentException;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * What a session may do on its document, looked up at {@code join} and again every {@link
 * #RECHECK_SECONDS} seconds (by the socket when the session sends, by {@link OpenSessions}' sweep
 * when it only listens): its token still unrevoked, its role still there, maybe another. So a
 * revoked token or a changed role takes effect on every node within that, with no message between
 * nodes.
 */
@ApplicationScoped
public class SessionAccess {

    private static final Logger LOG = Logger.getLogger(SessionAccess.class.getName());

    static final long RECHECK_SECONDS = 10;

    @EJB
    DocumentManager manager;

    @EJB
    DocumentAccess access;

    @Inject
    Authenticator authenticator;

    @Inject
    @ConfigProperty(name = "folio.access.recheck-grace-seconds", defaultValue = "30")
    long graceSeconds;

    /**
     * The caller's role on the session's document.
     *
     * @throws UnknownDocumentException if there is no such document
     * @throws AccessEndedException if it is not shared with the caller, or the token was revoked
     */
    DocumentRole roleOf(ClientChannel channel) {
        if (authenticator.isRevoked(channel.caller())) {
            LOG.info(() ->
                    "document " + channel.documentId + ": the token of " + channel.caller() + " was revoked; closed");
            throw new AccessEndedException(
                    ClientChannel.UNAUTHENTICATED,
                    TokenRejectedException.REVOKED,
                    "the token was revoked; sign in again");
        }
        Optional<DocumentRole> role =
                access.role(channel.documentId, channel.caller().id());
        if (role.isPresent()) {
            return role.get();
        }
        if (!manager.exists(channel.documentId)) {
            throw new UnknownDocumentException(channel.documentId);
        }
        LOG.info(() -> "document " + channel.documentId + ": " + channel.caller() + " has no access; closed");
        throw new AccessEndedException(ClientChannel.FORBIDDEN, "forbidden", "this document is not shared with you");
    }

    /**
     * Looks the session's access up again if it was last looked up {@link #RECHECK_SECONDS} ago. If
     * the lookup fails (the database is away a moment), the session keeps its role for up to {@code
     * folio.access.recheck-grace-seconds} more, asking again at most once a second, so a short
     * database restart closes no live session; past that it fails closed (docs/security.md).
     *
     * @throws RuntimeException if the lookup failed for longer than the grace period
     */
    void recheckIfDue(ClientChannel channel) {
        if (!channel.isJoined()
                || channel.accessCheckedAgo() < TimeUnit.SECONDS.toNanos(RECHECK_SECONDS)
                || channel.accessFailedAgo() < TimeUnit.SECONDS.toNanos(1)) {
            return;
        }
        try {
            channel.useRole(roleOf(channel));
        } catch (AccessEndedException | UnknownDocumentException e) {
            throw e;
        } catch (RuntimeException e) {
            channel.accessLookupFailed();
            if (channel.accessCheckedAgo() < TimeUnit.SECONDS.toNanos(RECHECK_SECONDS + graceSeconds)) {
                LOG.fine(() -> "document " + channel.documentId + ": looking up the access of " + channel.caller()
                        + " failed; it keeps its role for now: " + e);
                return;
            }
            LOG.warning(() -> "document " + channel.documentId + ": the access of " + channel.caller()
                    + " could not be looked up for " + (RECHECK_SECONDS + graceSeconds) + " s; closed");
            throw e;
        }
    }
}
