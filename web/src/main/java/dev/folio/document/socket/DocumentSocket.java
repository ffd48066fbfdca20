package dev.folio.document.socket;

import dev.folio.document.DocumentManager;
import dev.folio.document.RefusedDeltaException;
import dev.folio.document.UnknownDocumentException;
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
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * A document's WebSocket: decodes frames, calls the {@link DocumentManager}, and lets the {@link
 * ClientChannel} encode what comes back. The protocol is docs/protocol.md.
 */
@ServerEndpoint("/ws/documents/{id}")
public class DocumentSocket {

    private static final Logger LOG = Logger.getLogger(DocumentSocket.class.getName());
    private static final String CHANNEL = "folio.channel";

    /** Frames up to this size get an error frame when too large; beyond it the container closes (1009). */
    private static final int CONTAINER_LIMIT = 8 << 20;

    @EJB
    DocumentManager manager;

    @Inject
    SocketSenders senders;

    @Inject
    OpenSessions sessions;

    @Inject
    PresenceRelay presence;

    @Inject
    @ConfigProperty(name = "folio.ws.max-frame-characters", defaultValue = "1048576")
    int maxFrameChars;

    @Inject
    @ConfigProperty(name = "folio.ws.max-deltas-per-second", defaultValue = "200")
    int maxDeltasPerSecond;

    @Inject
    @ConfigProperty(name = "folio.ws.delta-burst", defaultValue = "1000")
    int deltaBurst;

    @OnOpen
    public void open(Session session, @PathParam("id") String id) {
        session.setMaxIdleTimeout(0); // OpenSessions closes silent sessions
        UUID documentId = parseId(id);
        ClientChannel channel = new ClientChannel(
                session,
                documentId,
                senders.executor(),
                presence,
                sessions.idleSeconds(),
                new DeltaRateLimit(maxDeltasPerSecond, deltaBurst));
        session.getUserProperties().put(CHANNEL, channel);
        sessions.opened(channel);
        if (documentId == null) {
            channel.sendAndClose(ClientChannel.UNKNOWN_DOCUMENT, "unknown-document", "no document " + id);
        }
    }

    @OnMessage(maxMessageSize = CONTAINER_LIMIT)
    public void message(Session session, String text) {
        ClientChannel channel = (ClientChannel) session.getUserProperties().get(CHANNEL);
        if (channel.documentId == null || channel.rateLimited) {
            return; // closing: the path named no document, or the client sent too fast
        }
        channel.heard();
        try {
            if (text.length() > maxFrameChars) {
                throw new ProtocolException("frame-too-large", "frames are at most " + maxFrameChars + " characters");
            }
            ClientFrame frame = Frames.decode(text);
            if (frame instanceof ClientFrame.Join join) {
                join(channel, join);
            } else if (frame instanceof ClientFrame.DeltaFrame delta) {
                submit(channel, delta);
            } else if (frame instanceof ClientFrame.Presence shown) {
                show(channel, shown);
            } else {
                channel.send(Frames.pong());
            }
        } catch (ProtocolException e) {
            channel.sendError(e.code, e.getMessage(), e.opId);
        } catch (UnknownDocumentException e) {
            channel.sendAndClose(ClientChannel.UNKNOWN_DOCUMENT, "unknown-document", e.getMessage());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "document " + channel.documentId + ": a frame failed; closing the session", e);
            channel.sendAndClose(
                    ClientChannel.DOCUMENT_UNAVAILABLE, "document-unavailable", "the server failed; join again");
        }
    }

    private void join(ClientChannel channel, ClientFrame.Join join) {
        if (channel.isJoined()) {
            throw new ProtocolException("already-joined", "this session has joined already");
        }
        if (join.site() > 0 && !manager.isIssuedSite(join.site())) {
            throw new ProtocolException(
                    "unknown-site", "site " + join.site() + " was never given out; join without one");
        }
        channel.useSite(join.site() > 0 ? join.site() : manager.newSite());
        manager.join(channel.documentId, channel, join.version());
        channel.markJoined();
        LOG.fine(() -> "document " + channel.documentId + ": site " + channel.site() + " joined from version "
                + join.version());
    }

    private void submit(ClientChannel channel, ClientFrame.DeltaFrame frame) {
        if (!channel.isJoined()) {
            throw new ProtocolException("not-joined", "join before sending deltas", frame.opId());
        }
        if (!channel.rate.tryTake(System.nanoTime())) {
            // Closed rather than refused: the client's later deltas may build on this one. It joins
            // again after its backoff and resends everything unacknowledged, in order.
            LOG.info(() -> "document " + channel.documentId + ": site " + channel.site() + " sent more than "
                    + maxDeltasPerSecond + " deltas a second; closing its session");
            channel.rateLimited = true;
            channel.sendAndClose(
                    ClientChannel.RATE_LIMITED,
                    "rate-limited",
                    "more than " + maxDeltasPerSecond + " deltas a second; join again later and resend",
                    frame.opId());
            return;
        }
        try {
            manager.submit(channel.documentId, channel, frame.opId(), frame.delta());
        } catch (RefusedDeltaException e) {
            LOG.info(() -> "document " + channel.documentId + ": refused delta " + frame.opId() + " from site "
                    + channel.site() + ": " + e.getMessage());
            throw new ProtocolException("invalid-delta", e.getMessage(), frame.opId());
        }
    }

    /** Presence never reaches the document manager: it is relayed between this node's sessions only. */
    private void show(ClientChannel channel, ClientFrame.Presence shown) {
        if (!channel.isJoined()) {
            throw new ProtocolException("not-joined", "join before sending presence");
        }
        presence.show(channel, Frames.presence(channel.site(), shown));
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
