package dev.folio.document.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.folio.access.Caller;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.websocket.CloseReason;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;
import java.io.IOException;
import java.io.StringReader;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** How a channel sends: in order, in batches, without holding a thread for a client that does not read. */
class ClientChannelTest {

    /** One sender thread: whatever holds it holds up every other channel. */
    private final ExecutorService senders = Executors.newSingleThreadExecutor();

    @AfterEach
    void stopSenders() {
        senders.shutdownNow();
    }

    @Test
    void aClientThatStopsReadingHoldsUpNoOtherClient() throws Exception {
        FakeSession stuck = FakeSession.neverFinishing();
        FakeSession reading = FakeSession.finishingAtOnce();
        ClientChannel stuckChannel = channelFor(stuck);
        ClientChannel cut = channelFor(reading);

        stuckChannel.send("{\"type\":\"pong\"}");
        stuck.nextSent();
        cut.send("{\"type\":\"pong\"}");

        assertEquals("{\"type\":\"pong\"}", reading.nextSent());
        assertTrue(stuckChannel.sendingFor() > 0, "the stuck send is still counted");
        assertEquals(0, cut.sendingFor());
    }

    @Test
    void framesQueuedDuringASendGoOutInOrderAsOneBatchAfterIt() throws Exception {
        FakeSession session = FakeSession.neverFinishing();
        ClientChannel cut = channelFor(session);

        cut.send(frame(1));
        assertEquals(frame(1), session.nextSent());
        cut.send(frame(2));
        cut.send(frame(3));
        cut.send(frame(4));
        session.finishPending();

        JsonObject batch = json(session.nextSent());
        assertEquals("batch", batch.getString("type"));
        assertEquals(
                List.of(2, 3, 4),
                batch.getJsonArray("frames").getValuesAs(JsonObject.class).stream()
                        .map(f -> f.getInt("n"))
                        .toList());
    }

    @Test
    void aCloseWaitsUntilTheErrorBeforeItIsSentAndNothingGoesAfterIt() throws Exception {
        FakeSession session = FakeSession.neverFinishing();
        ClientChannel cut = channelFor(session);

        cut.send(frame(1));
        session.nextSent();
        cut.sendAndClose(ClientChannel.FORBIDDEN, "forbidden", "no access");
        cut.send(frame(2));
        assertTrue(session.closes.isEmpty(), "not closed while a frame is on its way");

        session.finishPending();
        assertEquals("forbidden", json(session.nextSent()).getString("code"));
        session.finishPending();
        assertEquals(ClientChannel.FORBIDDEN, session.nextClose().getCloseCode().getCode());
        assertTrue(session.sent.isEmpty(), "nothing after the close: " + session.sent);
    }

    @Test
    void aClientDisconnectedAsTooSlowIsClosedWith1013AndSentNothingMore() throws Exception {
        FakeSession session = FakeSession.neverFinishing();
        ClientChannel cut = channelFor(session);
        cut.send(frame(1));
        session.nextSent();
        cut.send(frame(2));

        assertTrue(cut.disconnectAsTooSlow("took no frame for 30 s"));
        assertFalse(cut.disconnectAsTooSlow("took no frame for 31 s"), "once");

        CloseReason close = session.nextClose();
        assertEquals(CloseReason.CloseCodes.TRY_AGAIN_LATER, close.getCloseCode());
        assertEquals("too-slow", close.getReasonPhrase());
        assertTrue(cut.isClosing());
        session.finishPending();
        cut.send(frame(3));
        senders.submit(() -> {}).get(5, TimeUnit.SECONDS);
        assertTrue(session.sent.isEmpty(), "nothing after the close: " + session.sent);
    }

    @Test
    void aClientThatFallsTooFarBehindIsClosedWith1013() throws Exception {
        FakeSession session = FakeSession.neverFinishing();
        ClientChannel cut = channelFor(session);
        cut.send(frame(0));
        session.nextSent();

        for (int n = 1; n <= ClientChannel.MAX_QUEUED + 1; n++) {
            cut.send(frame(n));
        }

        assertEquals("too-slow", session.nextClose().getReasonPhrase());
        assertTrue(cut.isClosing());
    }

    @Test
    void aFailedSendClosesTheSessionOnce() throws Exception {
        FakeSession session = FakeSession.failing();
        ClientChannel cut = channelFor(session);

        cut.send(frame(1));
        session.nextSent();
        assertEquals(
                CloseReason.CloseCodes.CLOSED_ABNORMALLY, session.nextClose().getCloseCode());
        cut.send(frame(2));
        senders.submit(() -> {}).get(5, TimeUnit.SECONDS);
        assertTrue(session.sent.isEmpty() && session.closes.isEmpty(), "nothing more");
    }

    /**
     * Issue 19: the container throws an Error when a frame cannot be encoded (a lone surrogate,
     * say). It escaped the channel, which then never sent again: the session heard nothing more
     * until the send timeout. It must be closed at once, with a reason.
     */
    @Test
    void aSendTheContainerCannotEncodeClosesTheSessionAtOnce() throws Exception {
        FakeSession session = FakeSession.throwingError();
        ClientChannel cut = channelFor(session);

        cut.send(frame(1));
        assertEquals(
                CloseReason.CloseCodes.UNEXPECTED_CONDITION, session.nextClose().getCloseCode());
        assertTrue(cut.isClosing());
        cut.send(frame(2));
        senders.submit(() -> {}).get(5, TimeUnit.SECONDS);
        assertTrue(session.closes.isEmpty(), "closed once");
    }

    /** Issue 19: no client string makes an error frame that cannot be encoded. */
    @Test
    void anErrorFrameEchoingALoneSurrogateOrAControlCharacterIsStillValidUtf8() {
        String frame = Frames.error("invalid-delta", "unknown type \"\uD800\"", "op\n\uDC00");
        assertTrue(StandardCharsets.UTF_8.newEncoder().canEncode(frame), frame);
        assertFalse(frame.contains("\n"), "a newline stays escaped: " + frame);
    }

    private ClientChannel channelFor(FakeSession session) {
        Caller caller = new Caller(
                "tester",
                "Tester",
                Set.of(Caller.WRITER),
                "token",
                Instant.now(),
                Instant.now().plusSeconds(600));
        return new ClientChannel(
                session.proxy,
                UUID.randomUUID(),
                caller,
                senders,
                null,
                60,
                new TokenBucket(100, 100),
                new TokenBucket(100, 100));
    }

    private static String frame(int n) {
        return "{\"type\":\"test\",\"n\":" + n + "}";
    }

    private static JsonObject json(String frame) {
        return Json.createReader(new StringReader(frame)).readObject();
    }

    /** A container session that records what is sent and closed, and finishes sends as told. */
    private static final class FakeSession {

        private enum Finishing {
            AT_ONCE,
            WHEN_TOLD,
            FAILING,
            THROWING_ERROR
        }

        final BlockingQueue<String> sent = new LinkedBlockingQueue<>();
        final BlockingQueue<CloseReason> closes = new LinkedBlockingQueue<>();
        private final List<SendHandler> pending = new CopyOnWriteArrayList<>();
        private final Finishing finishing;
        final Session proxy;

        static FakeSession finishingAtOnce() {
            return new FakeSession(Finishing.AT_ONCE);
        }

        /** A client that does not read: sends finish only when the test says so. */
        static FakeSession neverFinishing() {
            return new FakeSession(Finishing.WHEN_TOLD);
        }

        static FakeSession failing() {
            return new FakeSession(Finishing.FAILING);
        }

        /** As Tyrus does with text it cannot encode: an Error out of sendText. */
        static FakeSession throwingError() {
            return new FakeSession(Finishing.THROWING_ERROR);
        }

        private FakeSession(Finishing finishing) {
            this.finishing = finishing;
            RemoteEndpoint.Async remote = (RemoteEndpoint.Async) Proxy.newProxyInstance(
                    getClass().getClassLoader(), new Class<?>[] {RemoteEndpoint.Async.class}, (p, method, args) -> {
                        if (method.getName().equals("sendText") && args.length == 2) {
                            sendText((String) args[0], (SendHandler) args[1]);
                            return null;
                        }
                        throw new UnsupportedOperationException(method.getName());
                    });
            proxy = (Session) Proxy.newProxyInstance(
                    getClass().getClassLoader(), new Class<?>[] {Session.class}, (p, method, args) -> {
                        switch (method.getName()) {
                            case "getAsyncRemote":
                                return remote;
                            case "getId":
                                return "session-1";
                            case "close":
                                closes.add((CloseReason) args[0]);
                                return null;
                            case "hashCode":
                                return System.identityHashCode(p);
                            case "equals":
                                return p == args[0];
                            default:
                                throw new UnsupportedOperationException(method.getName());
                        }
                    });
        }

        private void sendText(String frame, SendHandler handler) {
            if (finishing == Finishing.THROWING_ERROR) {
                throw new Error(new java.nio.charset.MalformedInputException(1));
            }
            // The handler is called, or kept, before the test can see the frame and act on it.
            switch (finishing) {
                case AT_ONCE -> handler.onResult(new SendResult());
                case WHEN_TOLD -> pending.add(handler);
                case FAILING, THROWING_ERROR -> {}
            }
            sent.add(frame);
            if (finishing == Finishing.FAILING) {
                handler.onResult(new SendResult(new IOException("connection reset")));
            }
        }

        /** The client reads what it was sent: the container finishes the sends on its own thread. */
        void finishPending() {
            List<SendHandler> finishing = List.copyOf(pending);
            pending.removeAll(finishing);
            Thread container = new Thread(() -> finishing.forEach(h -> h.onResult(new SendResult())));
            container.start();
        }

        String nextSent() throws InterruptedException {
            String frame = sent.poll(5, TimeUnit.SECONDS);
            if (frame == null) {
                throw new AssertionError("nothing sent within 5 s");
            }
            return frame;
        }

        CloseReason nextClose() throws InterruptedException {
            CloseReason close = closes.poll(5, TimeUnit.SECONDS);
            if (close == null) {
                throw new AssertionError("not closed within 5 s");
            }
            return close;
        }
    }
}
