package dev.folio.system;

import jakarta.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A bare WebSocket that sends frames as given and hands back the frames received, in order. */
final class RawSocket implements WebSocket.Listener, AutoCloseable {

    private final BlockingQueue<JsonObject> received = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    private WebSocket socket;

    /** Opens a socket as the demo user {@code editor}. */
    static RawSocket open(URI uri) throws Exception {
        return open(uri, TestTokens.shared().tester());
    }

    /** Opens a socket with this access token (as the browser sends it, a subprotocol). */
    static RawSocket open(URI uri, String token) throws Exception {
        return open(
                uri,
                HttpClient.newHttpClient().newWebSocketBuilder().subprotocols("folio.v1", "folio.bearer." + token));
    }

    /** Opens a socket with a builder the caller set up (headers, subprotocols). */
    static RawSocket open(URI uri, WebSocket.Builder builder) throws Exception {
        RawSocket raw = new RawSocket();
        raw.socket = builder.buildAsync(uri, raw).get(30, TimeUnit.SECONDS);
        return raw;
    }

    void send(String frame) throws Exception {
        socket.sendText(frame, true).get(30, TimeUnit.SECONDS);
    }

    void sendBinary(byte[] data) throws Exception {
        socket.sendBinary(java.nio.ByteBuffer.wrap(data), true).get(30, TimeUnit.SECONDS);
    }

    /** Joins as a new client; returns the site the server gave. */
    int join() throws Exception {
        send("{\"type\":\"join\"}");
        JsonObject joined = next();
        if (!"joined".equals(joined.getString("type", null))) {
            throw new AssertionError("expected joined, got " + joined);
        }
        return joined.getInt("site");
    }

    /**
     * Sends a ping and returns the frames that came before its pong: everything the server had
     * queued for this socket by the time it read the ping. A barrier for "nothing arrived".
     */
    List<JsonObject> framesBeforePong() throws Exception {
        send("{\"type\":\"ping\"}");
        List<JsonObject> before = new ArrayList<>();
        for (JsonObject frame = next(); !"pong".equals(frame.getString("type", null)); frame = next()) {
            before.add(frame);
        }
        return before;
    }

    JsonObject next() throws InterruptedException {
        JsonObject frame = received.poll(30, TimeUnit.SECONDS);
        if (frame == null) {
            throw new AssertionError("no frame within 30 s");
        }
        return frame;
    }

    int awaitClose() throws Exception {
        return awaitClose(Duration.ofSeconds(30));
    }

    int awaitClose(Duration within) throws Exception {
        return closed.get(within.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            received.addAll(Api.frames(partial.toString()));
            partial.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closed.complete(statusCode);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed.completeExceptionally(error);
    }

    @Override
    public void close() {
        socket.abort();
    }
}
