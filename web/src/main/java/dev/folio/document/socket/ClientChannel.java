package dev.folio.document.socket;

import dev.folio.document.AcceptedDelta;
import dev.folio.document.DeltaSubscriber;
import jakarta.websocket.CloseReason;
import jakarta.websocket.CloseReason.CloseCodes;
import jakarta.websocket.Session;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One WebSocket session on one document. Frames are queued and sent one after the other
 * asynchronously, so the document manager never waits on a slow network; a client that falls
 * {@link #MAX_QUEUED} frames behind is disconnected and catches up when it joins again.
 */
final class ClientChannel implements DeltaSubscriber {

    private static final Logger LOG = Logger.getLogger(ClientChannel.class.getName());

    static final int MAX_QUEUED = 10_000;

    /** Close codes in the private range (4000-4999), mirroring HTTP statuses: docs/protocol.md. */
    static final int UNKNOWN_DOCUMENT = 4404;

    static final int DOCUMENT_DELETED = 4410;
    static final int DOCUMENT_UNAVAILABLE = 4503;

    final Session session;
    final UUID documentId;
    private volatile int site;
    private volatile boolean joined;
    private final ArrayDeque<Outgoing> queue = new ArrayDeque<>();
    private boolean sending;
    private boolean closed;

    ClientChannel(Session session, UUID documentId) {
        this.session = session;
        this.documentId = documentId;
    }

    /** Called once, before joining; the site is then fixed for the session. */
    void joinAs(int site) {
        this.site = site;
        this.joined = true;
    }

    boolean isJoined() {
        return joined;
    }

    @Override
    public int site() {
        return site;
    }

    @Override
    public void joined(long version, byte[] snapshot) {
        send(Frames.joined(documentId, site, version, snapshot));
    }

    @Override
    public void deliver(AcceptedDelta delta) {
        send(Frames.delta(delta));
    }

    @Override
    public void acknowledged(String opId, long version) {
        send(Frames.ack(opId, version));
    }

    @Override
    public void closed(DeltaSubscriber.Closure reason) {
        if (reason == DeltaSubscriber.Closure.DELETED) {
            sendAndClose(DOCUMENT_DELETED, "document-deleted", "the document was deleted");
        } else {
            sendAndClose(DOCUMENT_UNAVAILABLE, "document-unavailable", "the document could not be stored; join again");
        }
    }

    void sendError(String code, String message, String opId) {
        send(Frames.error(code, message, opId));
    }

    /** Sends an error frame, then closes the session once everything queued before it is sent. */
    void sendAndClose(int closeCode, String code, String message) {
        send(Frames.error(code, message, null));
        synchronized (this) {
            queue.add(new Outgoing(null, new CloseReason(CloseCodes.getCloseCode(closeCode), code)));
            startSending();
        }
    }

    /** A frame to send, or (frame null) the close that ends the session. */
    private record Outgoing(String frame, CloseReason close) {}

    void send(String frame) {
        synchronized (this) {
            if (closed) {
                return;
            }
            if (queue.size() >= MAX_QUEUED) {
                closed = true;
                queue.clear();
                LOG.warning(
                        () -> "document " + documentId + ": session " + session.getId() + " too slow, disconnected");
                close(new CloseReason(CloseCodes.TRY_AGAIN_LATER, "too-slow"));
                return;
            }
            queue.add(new Outgoing(frame, null));
            startSending();
        }
    }

    private void startSending() {
        if (!sending) {
            sending = true;
            sendNext();
        }
    }

    /** Called with this channel's lock held. */
    private void sendNext() {
        Outgoing next = queue.poll();
        if (next == null || closed) {
            sending = false;
            return;
        }
        if (next.close != null) {
            closed = true;
            sending = false;
            queue.clear();
            close(next.close);
            return;
        }
        try {
            session.getAsyncRemote().sendText(next.frame, result -> {
                synchronized (this) {
                    if (!result.isOK()) {
                        closed = true;
                        queue.clear();
                        sending = false;
                        return;
                    }
                    sendNext();
                }
            });
        } catch (RuntimeException e) {
            closed = true;
            queue.clear();
            sending = false;
        }
    }

    private void close(CloseReason reason) {
        try {
            session.close(reason);
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.FINE, "closing session " + session.getId(), e);
        }
    }
}
