package dev.folio.document.socket;

import dev.folio.access.Caller;
import dev.folio.access.DocumentAccess;
import dev.folio.auth.Authenticator;
import dev.folio.auth.TokenRejectedException;
import dev.folio.document.DocumentManager;
import dev.folio.document.Limits;
import dev.folio.document.RefusedDeltaException;
import jakarta.ejb.EJB;
import jakarta.inject.Inject;
import jakarta.websocket.CloseReason;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.server.PathParam;
import jakarta.websocket.server.ServerEndpoint;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A document's WebSocket: decodes frames, calls the {@link DocumentManager}, and lets the {@link
 * ClientChannel} encode what comes back. The protocol is docs/protocol.md. Every session arrives
 * authenticated ({@link HandshakeAuthentication}); joining needs a role on the document, editing
 * one that may edit ({@link SessionAccess}, which looks both up again every few seconds).
 */
@ServerEndpoint(value = "/ws/documents/{id}", subprotocols = HandshakeAuthentication.PROTOCOL)
public class DocumentSocket {

    private static final Logger LOG = Logger.getLogger(DocumentSocket.class.getName());
    private static final String CHANNEL = "folio.channel";

    /**
     * Frames up to this size get an error frame when too large; beyond it Tyrus closes with 1009.
     * It must stay below Tyrus' input buffer (4 MiB and 11 bytes): a frame larger than that buffer is
     * closed with 1011 before any size check (docs/protocol.md, "Errors").
     */
    private static final int CONTAINER_LIMIT = 2 << 20;

    @EJB
    DocumentManager manager;

    @Inject
    SocketSenders senders;

    @Inject
    OpenSessions sessions;

    @Inject
    PresenceRelay presence;

    @EJB
    DocumentAccess access;

    @Inject
    Authenticator authenticator;

    @Inject
    Limits limits;

    @Inject
    SessionAccess sessionAccess;

    @Inject
    PlainIdleTimers idleTimers;

    @Inject
    Refusals refusals;

    @OnOpen
    public void open(Session session, @PathParam("id") String id) {
        UUID documentId = parseId(id);
        Caller caller = session.getUserPrincipal() instanceof Caller known ? known : null;
        ClientChannel channel = new ClientChannel(
                session,
                documentId,
                caller,
                senders.executor(),
                presence,
                sessions.idleSeconds(),
                new TokenBucket(limits.maxDeltasPerSecond(), limits.deltaBurst()),
                new TokenBucket(
                        Math.max(100, 2 * limits.maxDeltasPerSecond()), Math.max(2000, 2 * limits.deltaBurst())));
        session.getUserProperties().put(CHANNEL, channel);
        channel.framesReported = idleTimers.adopt(session, () -> takeFrame(channel));
        session.setMaxIdleTimeout(0); // OpenSessions closes silent sessions
        if (caller == null) {
            // The handshake filter lets no such session through; never trust that alone.
            SessionEnding.UNAUTHENTICATED.endSession(channel);
            return;
        }
        if (!sessions.opened(channel, limits.maxSessionsPerUser())) {
            refusals.refused(channel, "too-many-sessions", limits.maxSessionsPerUser() + " sessions here already");
            SessionEnding.tooManySessions(limits.maxSessionsPerUser()).endSession(channel);
            return;
        }
        if (documentId == null) {
            SessionEnding.unknownDocument(id).endSession(channel);
        }
    }

    @OnMessage(maxMessageSize = CONTAINER_LIMIT)
    public void message(Session session, String text) {
        ClientChannel channel = (ClientChannel) session.getUserProperties().get(CHANNEL);
        if (channel.documentId == null
                || channel.isClosing()
                || channel.caller() == null
                || !sessions.isOpen(channel)) {
            return; // closing (refused, too fast, expired...), not authenticated, or too many sessions
        }
        if (channel.tokenExpired(Instant.now())) {
            SessionEnding.TOKEN_EXPIRED.endSession(channel);
            return;
        }
        if (!channel.framesReported && !takeFrame(channel)) {
            return;
        }
        channel.heard();
        try {
            if (text.length() > limits.maxFrameCharacters()) {
                throw new ProtocolException(
                        "frame-too-large", "frames are at most " + limits.maxFrameCharacters() + " characters");
            }
            ClientFrame frame = Frames.decode(text);
            if (frame instanceof ClientFrame.Join join) {
                join(channel, join);
            } else if (frame instanceof ClientFrame.DeltaFrame delta) {
                submit(channel, delta);
            } else if (frame instanceof ClientFrame.Presence shown) {
                show(channel, shown);
            } else if (frame instanceof ClientFrame.Auth auth) {
                reauthenticate(channel, auth.token());
            } else {
                channel.send(Frames.pong());
            }
        } catch (ProtocolException e) {
            refusals.refused(channel, e.code, (e.opId != null ? "delta " + e.opId + ": " : "") + e.getMessage());
            channel.sendError(e.code, e.getMessage(), e.opId);
        } catch (RuntimeException e) {
            SessionEnding.foreseen(e)
                    .orElseGet(() -> {
                        LOG.log(
                                Level.WARNING,
                                "document " + channel.documentId + ": a frame failed; closing the session",
                                e);
                        return SessionEnding.SERVER_FAILED;
                    })
                    .endSession(channel);
        }
    }

    /**
     * Takes a frame from the session's budget of frames of any kind, or closes the session. Every
     * frame costs: presence fans out, joins and auth look things up, a ping is answered.
     */
    private boolean takeFrame(ClientChannel channel) {
        if (channel.frames.tryTake(System.nanoTime())) {
            return true;
        }
        if (!channel.isClosing()) {
            refusals.refused(channel, "rate-limited", "more frames a second than twice the deltas allowed; closed");
            SessionEnding.FRAMES_TOO_FAST.endSession(channel);
        }
        return false;
    }

    /**
     * The protocol is JSON in text frames (docs/protocol.md): the first binary frame closes the
     * session, with the error and close 1003 (unsupported data), so a flood of them is one frame's
     * work. Before, they were dropped unanswered, uncounted, for as long as they came (issue 19).
     */
    @OnMessage(maxMessageSize = CONTAINER_LIMIT)
    public void binary(Session session, ByteBuffer data) {
        ClientChannel channel = (ClientChannel) session.getUserProperties().get(CHANNEL);
        if (channel == null || channel.isClosing()) {
            return;
        }
        SessionEnding.BINARY_FRAME.endSession(channel);
    }

    private void join(ClientChannel channel, ClientFrame.Join join) {
        if (channel.isJoined()) {
            throw new ProtocolException("already-joined", "this session has joined already");
        }
        // Before anything that costs: a refused join reads no document and makes no site.
        Duration wait = sessions.takeJoin(channel);
        if (!wait.isZero()) {
            refusals.refused(channel, "too-many-joins", "joins faster than " + limits.joinsPerMinute() + " a minute");
            SessionEnding.tooManyJoins(limits.joinsPerMinute(), wait).endSession(channel);
            return;
        }
        if (join.site() > 0 && !manager.isSiteOf(join.site(), channel.caller().id())) {
            throw new ProtocolException(
                    "unknown-site", "site " + join.site() + " was never given to you; join without one");
        }
        channel.useRole(sessionAccess.roleOf(channel));
        channel.useSite(
                join.site() > 0 ? join.site() : manager.newSite(channel.caller().id()));
        manager.join(channel.documentId, channel, join.version());
        channel.markJoined();
        LOG.fine(() -> "document " + channel.documentId + ": site " + channel.site() + " (" + channel.caller() + ", "
                + channel.role().label() + ") joined from version " + join.version());
    }

    /** A fresh access token for a live session: same user, then the role is looked up again. */
    private void reauthenticate(ClientChannel channel, String token) {
        Caller fresh;
        try {
            fresh = authenticator.authenticate(token);
        } catch (TokenRejectedException e) {
            throw new AccessEndedException(ClientChannel.UNAUTHENTICATED, e.code(), e.getMessage());
        }
        if (!fresh.id().equals(channel.caller().id())) {
            LOG.warning(() -> "document " + channel.documentId + ": " + channel.caller() + " sent a token of " + fresh
                    + "; closed");
            throw new AccessEndedException(
                    ClientChannel.UNAUTHENTICATED, TokenRejectedException.INVALID, "a token of another user");
        }
        channel.reauthenticated(fresh);
        if (channel.isJoined()) {
            channel.useRole(sessionAccess.roleOf(channel));
        }
        channel.send(Frames.authenticated(fresh.expiresAt()));
    }

    private void submit(ClientChannel channel, ClientFrame.DeltaFrame frame) {
        if (!channel.isJoined()) {
            throw new ProtocolException("not-joined", "join before sending deltas", frame.opId());
        }
        sessionAccess.recheckIfDue(channel);
        DeltaAdmission admission = DeltaAdmission.of(limits);
        if (!admission.admit(channel.role(), frame, channel.rate, System.nanoTime())) {
            // The client joins again after its backoff and resends everything unacknowledged, in order.
            refusals.refused(channel, "rate-limited", admission.rateRule());
            SessionEnding.deltasTooFast(admission.rateRule(), frame.opId()).endSession(channel);
            return;
        }
        try {
            manager.submit(channel.documentId, channel, frame.opId(), frame.delta());
        } catch (RefusedDeltaException e) {
            throw new ProtocolException(e.code(), e.getMessage(), frame.opId());
        }
    }

    /** Presence never reaches the document manager: it is relayed between this node's sessions only. */
    private void show(ClientChannel channel, ClientFrame.Presence shown) {
        if (!channel.isJoined()) {
            throw new ProtocolException("not-joined", "join before sending presence");
        }
        // The name shown is the token's, not what the frame claims: nobody appears as someone else.
        presence.show(
                channel,
                Frames.presence(
                        channel.site(),
                        new ClientFrame.Presence(channel.caller().name(), shown.caret())));
    }

    @OnClose
    public void close(Session session, CloseReason reason) {
        ClientChannel channel = (ClientChannel) session.getUserProperties().get(CHANNEL);
        if (channel == null) {
            return;
        }
        channel.markEnded();
        if (channel.isJoined()) {
            manager.leave(channel.documentId, channel);
        }
        if (channel.documentId != null) {
            presence.leave(channel); // also when not joined yet: a join under way may have entered
        }
        sessions.closed(channel);
    }

    @OnError
    public void error(Session session, Throwable error) {
        LOG.log(Level.FINE, "WebSocket session " + session.getId() + " failed", error);
    }

    private static UUID parseId(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
