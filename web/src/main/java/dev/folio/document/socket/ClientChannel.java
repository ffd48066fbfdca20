package dev.folio.document.socket;

import dev.folio.access.Caller;
import dev.folio.access.DocumentRole;
import dev.folio.document.AcceptedDelta;
import dev.folio.document.DeltaSubscriber;
import jakarta.websocket.CloseReason;
import jakarta.websocket.CloseReason.CloseCodes;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One WebSocket session on one document, as the document manager's subscriber. The manager calls
 * it under the document's lock, so it only queues: a task on {@code executor} sends what is
 * queued, in order, and closes the session, never while a lock is held (the container takes its
 * own locks when sending and calls {@code @OnClose} from within {@code close}). One task per burst
 * of frames, not per frame. Sends are asynchronous: a client that stops reading holds no thread,
 * only its queue. One that falls {@link #MAX_QUEUED} frames behind, or has not taken a frame within
 * the send timeout ({@link OpenSessions}), is disconnected and catches up when it joins again.
 */
final class ClientChannel implements DeltaSubscriber {

    private static final Logger LOG = Logger.getLogger(ClientChannel.class.getName());

    static final int MAX_QUEUED = 10_000;

    /** At most this many frames go in one batch frame. */
    static final int MAX_BATCH = 256;

    /** Close codes in the private range (4000-4999), mirroring HTTP statuses: docs/protocol.md. */
    static final int UNKNOWN_DOCUMENT = 4404;

    static final int DOCUMENT_DELETED = 4410;
    static final int DOCUMENT_UNAVAILABLE = 4503;
    static final int RATE_LIMITED = 4429;
    static final int IDLE = 4408;
    static final int UNAUTHENTICATED = 4401;
    static final int FORBIDDEN = 4403;

    final Session session;
    final UUID documentId;
    final TokenBucket rate;

    /**
     * Every frame a client sends, deltas or not (presence, auth, join, ping; binary and control
     * frames too where the container reports them, {@link PlainIdleTimers}), is taken from this
     * bucket: presence fans out to every session of the document, auth and join cost database
     * lookups, each control ping an answer. Twice the deltas' own limit ({@link #rate}), and never
     * below 100 a second.
     */
    final TokenBucket frames;

    /** Whether the container reports every frame received ({@link PlainIdleTimers}), so that text frames are counted there. */
    volatile boolean framesReported;

    /** Set once a close is queued: nothing the client sends after that is taken. */
    private volatile boolean closing;

    private final Executor executor;
    private final PresenceRelay presence;
    private final int idleSeconds;
    private volatile int site;
    private volatile Caller caller;
    private volatile DocumentRole role;
    private volatile long accessCheckedNanos = System.nanoTime();
    private volatile long accessFailedNanos;
    private volatile boolean accessFailed;
    private volatile boolean warnedOfExpiry;
    private volatile boolean joined;
    private volatile boolean ended;
    private volatile long lastHeardNanos = System.nanoTime();
    private final ArrayDeque<Outgoing> queue = new ArrayDeque<>();
    private boolean sending;
    private boolean closeQueued;
    private boolean closed;

    /** When the send the container has not finished yet began; {@link #NOT_SENDING} if none. */
    private volatile long sendStartedNanos = NOT_SENDING;

    private static final long NOT_SENDING = Long.MIN_VALUE;

    ClientChannel(
            Session session,
            UUID documentId,
            Caller caller,
            Executor executor,
            PresenceRelay presence,
            int idleSeconds,
            TokenBucket rate,
            TokenBucket frames) {
        this.session = session;
        this.frames = frames;
        this.caller = caller;
        this.documentId = documentId;
        this.rate = rate;
        this.executor = executor;
        this.presence = presence;
        this.idleSeconds = idleSeconds;
    }

    @Override
    public boolean isClosing() {
        return closing;
    }

    /** Who the session's token names; never null. */
    Caller caller() {
        return caller;
    }

    /** A fresh token of the same user: its expiry counts from now on. */
    void reauthenticated(Caller fresh) {
        this.caller = fresh;
        this.warnedOfExpiry = false;
    }

    /** Whether the session should be told its token is about to expire: once per token. */
    boolean shouldWarnOfExpiry(Instant now, long warningSeconds) {
        if (warnedOfExpiry || now.plusSeconds(warningSeconds).isBefore(caller.expiresAt())) {
            return false;
        }
        warnedOfExpiry = true;
        return true;
    }

    boolean tokenExpired(Instant now) {
        return !now.isBefore(caller.expiresAt());
    }

    /** The caller's role on the document; null until joined. */
    DocumentRole role() {
        return role;
    }

    void useRole(DocumentRole role) {
        this.role = role;
        this.accessCheckedNanos = System.nanoTime();
    }

    /** Makes the next access check due at once: the role may have changed ({@link OpenSessions}). */
    void accessCheckDue() {
        this.accessCheckedNanos = System.nanoTime() - TimeUnit.SECONDS.toNanos(SessionAccess.RECHECK_SECONDS);
    }

    long accessCheckedAgo() {
        return System.nanoTime() - accessCheckedNanos;
    }

    /** The last lookup of the session's access failed (the database away): see {@link SessionAccess}. */
    void accessLookupFailed() {
        accessFailedNanos = System.nanoTime();
        accessFailed = true;
    }

    long accessFailedAgo() {
        return accessFailed ? System.nanoTime() - accessFailedNanos : Long.MAX_VALUE;
    }

    /** The site the session inserts as; set before joining. */
    void useSite(int site) {
        this.site = site;
    }

    /** The document manager has taken the session in. */
    void markJoined() {
        this.joined = true;
    }

    /** The client sent a frame. */
    void heard() {
        lastHeardNanos = System.nanoTime();
    }

    long silentFor() {
        return System.nanoTime() - lastHeardNanos;
    }

    boolean isJoined() {
        return joined;
    }

    /** The container closed the session ({@code @OnClose} ran); it takes part in nothing from now on. */
    void markEnded() {
        this.ended = true;
    }

    boolean hasEnded() {
        return ended;
    }

    @Override
    public int site() {
        return site;
    }

    /** The session's caller: a token refreshed in the session names the same user (DocumentSocket checks). */
    @Override
    public String userId() {
        return caller == null ? null : caller.id();
    }

    @Override
    public void joined(long version, byte[] snapshot) {
        send(Frames.joined(documentId, site, version, snapshot, idleSeconds, role.label(), caller.expiresAt()));
        // Here rather than when manager.join returns: a snapshot join may wait for deltas to be
        // stored, and the others' presence must come after the joined frame.
        presence.enter(this);
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
    public void refused(String opId, String code, String message) {
        sendError(code, message, opId);
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
        sendAndClose(closeCode, code, message, null);
    }

    void sendAndClose(int closeCode, String code, String message, String opId) {
        closeAfter(closeCode, code, Frames.error(code, message, opId));
    }

    /** As {@link #sendAndClose(int, String, String)}, telling the client to wait {@code retryAfter} first. */
    void sendAndCloseUntil(int closeCode, String code, String message, Duration retryAfter) {
        closeAfter(closeCode, code, Frames.error(code, message, null, retryAfter));
    }

    private void closeAfter(int closeCode, String code, String errorFrame) {
        closing = true;
        send(errorFrame);
        enqueue(new Outgoing(null, new CloseReason(CloseCodes.getCloseCode(closeCode), code)));
    }

    void send(String frame) {
        enqueue(new Outgoing(frame, null));
    }

    private void enqueue(Outgoing outgoing) {
        boolean fellBehind;
        synchronized (this) {
            if (closed || closeQueued) {
                return;
            }
            fellBehind = queue.size() >= MAX_QUEUED;
            if (!fellBehind) {
                closeQueued = outgoing.close != null;
                queue.add(outgoing);
                if (sending) {
                    return;
                }
                sending = true;
            }
        }
        if (fellBehind) {
            disconnectAsTooSlow("fell " + MAX_QUEUED + " frames behind");
        } else {
            schedule();
        }
    }

    private void schedule() {
        try {
            executor.execute(this::drain);
        } catch (RejectedExecutionException e) {
            LOG.log(Level.WARNING, "document " + documentId + ": no thread to send to session " + session.getId(), e);
            synchronized (this) {
                closed = true;
                queue.clear();
                sending = false;
            }
        }
    }

    /**
     * How long the container has been sending one frame to this client, in nanoseconds; 0 when it
     * is not. A client that does not read leaves its send unfinished for ever.
     */
    long sendingFor() {
        long started = sendStartedNanos;
        return started == NOT_SENDING ? 0 : System.nanoTime() - started;
    }

    /**
     * Gives up on a client that stopped reading: drops what is queued and closes the session.
     *
     * @return false if the session was closed already
     */
    boolean disconnectAsTooSlow(String why) {
        synchronized (this) {
            if (closed) {
                return false;
            }
            closed = true;
            closing = true;
            queue.clear();
        }
        LOG.warning(() -> "document " + documentId + ": session " + session.getId() + " of " + caller + " " + why
                + ", disconnected");
        // On a sender thread, not the caller's: the container writes a close frame, and the
        // connection's writer may be busy with the frame this client never took.
        CloseReason tooSlow = new CloseReason(CloseCodes.TRY_AGAIN_LATER, "too-slow");
        try {
            executor.execute(() -> close(tooSlow));
        } catch (RejectedExecutionException e) {
            close(tooSlow);
        }
        return true;
    }

    /**
     * Sends what is queued, in order, until nothing is or a send is left to finish later. Frames
     * that queued up meanwhile go out as one batch frame: the container's cost is per WebSocket
     * message, and a busy document would otherwise pay it for every delta to every client. Runs on
     * the executor, one task per channel at a time: the next after the container finished a send.
     */
    private void drain() {
        while (true) {
            List<String> frames = new ArrayList<>();
            CloseReason close = null;
            synchronized (this) {
                while (!closed && frames.size() < MAX_BATCH) {
                    Outgoing next = queue.peek();
                    if (next == null || (next.close != null && !frames.isEmpty())) {
                        break; // a close waits until the frames before it are sent
                    }
                    queue.poll();
                    if (next.close != null) {
                        close = next.close;
                        closed = true;
                        queue.clear();
                        break;
                    }
                    frames.add(next.frame);
                }
                if (frames.isEmpty() && close == null) {
                    sending = false;
                    return;
                }
            }
            if (close != null) {
                close(close);
                return;
            }
            Send send = new Send();
            send.start(frames.size() == 1 ? frames.get(0) : Frames.batch(frames));
            if (!send.finishedAlready()) {
                return; // the container calls back when done, which drains on
            }
        }
    }

    /**
     * One asynchronous send. The container may finish it before {@code sendText} returns (then the
     * loop in {@link #drain} goes on) or later, on its own thread (then a new drain task goes on).
     */
    private final class Send implements SendHandler {

        private static final int WAITING = 0;
        private static final int FINISHED = 1;
        private static final int LEFT_TO_HANDLER = 2;

        private final AtomicInteger state = new AtomicInteger(WAITING);

        void start(String frame) {
            sendStartedNanos = System.nanoTime();
            try {
                session.getAsyncRemote().sendText(frame, this);
            } catch (RuntimeException e) {
                onResult(new SendResult(e));
            } catch (Error cannotEncode) {
                // Tyrus throws an Error for text it cannot encode: this channel could never send
                // again, so the session is closed now rather than left silent until the send timeout.
                state.set(FINISHED);
                sendStartedNanos = NOT_SENDING;
                LOG.log(
                        Level.WARNING,
                        "document " + documentId + ": a frame for session " + session.getId()
                                + " could not be encoded; closing it",
                        cannotEncode);
                failed(cannotEncode, new CloseReason(CloseCodes.UNEXPECTED_CONDITION, "unsendable frame"));
            }
        }

        /** Whether the send finished already; if not, its handler carries on from here. */
        boolean finishedAlready() {
            return !state.compareAndSet(WAITING, LEFT_TO_HANDLER);
        }

        @Override
        public void onResult(SendResult result) {
            sendStartedNanos = NOT_SENDING;
            if (!result.isOK()) {
                state.set(FINISHED);
                failed(result.getException());
            } else if (!state.compareAndSet(WAITING, FINISHED)) {
                schedule();
            }
        }
    }

    private void failed(Throwable error) {
        LOG.log(Level.FINE, "document " + documentId + ": sending to session " + session.getId() + " failed", error);
        failed(error, new CloseReason(CloseCodes.CLOSED_ABNORMALLY, "send failed"));
    }

    private void failed(Throwable error, CloseReason reason) {
        boolean first;
        synchronized (this) {
            first = !closed;
            closed = true;
            queue.clear();
            sending = false;
        }
        if (first) {
            closing = true;
            close(reason);
        }
    }

    private void close(CloseReason reason) {
        try {
            session.close(reason);
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.FINE, "closing session " + session.getId(), e);
        }
    }

    /** A frame to send, or (frame null) the close that ends the session. */
    private record Outgoing(String frame, CloseReason close) {}
}
