package dev.folio.system;

import dev.folio.document.json.JsonDeltaCodec;
import dev.folio.lseq.Delta;
import dev.folio.lseq.Identifier;
import dev.folio.lseq.Operation;
import dev.folio.lseq.Replica;
import dev.folio.lseq.SnapshotCodec;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * A real editing client over the JDK's WebSocket: it keeps an LSEQ replica, sends its edits as
 * deltas with operation ids, resends what was not acknowledged when it joins again, and applies
 * what the server forwards (docs/protocol.md).
 */
final class EditorClient implements WebSocket.Listener, AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private URI uri;
    private final UUID document;
    private long lastOffset = -1;
    private final String name;
    private Replica replica;
    private int site;
    private long version = -1;
    private int nextOp;
    private final Map<String, Delta> unacknowledged = new LinkedHashMap<>();
    private final List<String> acknowledged = new ArrayList<>();
    private final Set<Identifier> acknowledgedInserts = new HashSet<>();
    private int versionsAcknowledged;
    private final List<JsonObject> errors = new ArrayList<>();
    /** Frames besides joined, delta, ack and error (token-expiring, authenticated, presence, ...). */
    private final List<JsonObject> others = new ArrayList<>();

    private String role;
    private boolean joined;
    private boolean snapshotReceived;
    private int closeCode = -1;
    private WebSocket socket;
    private WebSocket retired;
    private final StringBuilder partial = new StringBuilder();

    private volatile String token;

    private EditorClient(URI ws, UUID document, String name, String token) {
        this.uri = ws.resolve("/ws/documents/" + document);
        this.document = document;
        this.name = name;
        this.token = token;
    }

    /** Joins as a new client of the demo user {@code editor}: the server gives it a site and the document's state. */
    static EditorClient join(URI ws, UUID document, String name) throws Exception {
        return join(ws, document, name, TestTokens.shared().tester());
    }

    /** Joins as a new client with this access token. */
    static EditorClient join(URI ws, UUID document, String name, String token) throws Exception {
        EditorClient client = new EditorClient(ws, document, name, token);
        client.connect();
        return client;
    }

    /** Sends a fresh access token on the open socket, as a client does before its token expires. */
    void reauthenticate(String freshToken) {
        token = freshToken;
        sendText(Json.createObjectBuilder()
                .add("type", "auth")
                .add("token", freshToken)
                .build()
                .toString());
    }

    /** Opens a socket and joins, with this client's site and version if it has them. */
    void connect() throws Exception {
        synchronized (this) {
            // The socket before this one may still report its close (a killed node): not ours now.
            retired = socket;
            joined = false;
            snapshotReceived = false;
            closeCode = -1;
        }
        try {
            socket = HttpClient.newHttpClient()
                    .newWebSocketBuilder()
                    .subprotocols("folio.v1", "folio.bearer." + token)
                    .buildAsync(uri, this)
                    .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception handshakeFailed) {
            synchronized (this) {
                closeCode = 1006; // never opened: whoever reconnects on a close must try again
            }
            throw handshakeFailed;
        }
        JsonObjectBuilder join = Json.createObjectBuilder().add("type", "join");
        synchronized (this) {
            if (site > 0) {
                join.add("site", site);
            }
            if (version >= 0) {
                join.add("version", version);
            }
        }
        synchronized (sending) {
            sendText(join.build().toString());
            await(() -> joined || closeCode != -1, "joined");
            synchronized (this) {
                if (!joined) {
                    throw new IllegalStateException(
                            name + ": the join was answered with close " + closeCode + "; errors: " + errors);
                }
            }
            List<String> resend = new ArrayList<>();
            synchronized (this) {
                unacknowledged.forEach((opId, delta) -> resend.add(frame(opId, delta)));
            }
            resend.forEach(this::sendText);
        }
    }

    /** Connects to another node from now on, as a load balancer would after a node failed. */
    synchronized void moveTo(URI ws) {
        uri = ws.resolve("/ws/documents/" + document);
    }

    /** Drops the connection without a goodbye, as a lost network would. */
    void disconnect() {
        socket.abort();
    }

    String insert(int index, String text) {
        return edit(replica -> replica.insert(index, text));
    }

    String delete(int index, int count) {
        return edit(replica -> replica.delete(index, count));
    }

    /** Types {@code text} at the end of the text as this client has it at that moment. */
    String append(String text) {
        return edit(replica -> replica.insert(replica.length(), text));
    }

    /** Deletes the last {@code count} characters of the text as this client has it at that moment. */
    String deleteLast(int count) {
        return edit(replica -> replica.delete(replica.length() - count, count));
    }

    /** One random edit: mostly inserts of 1-3 letters, sometimes a delete. */
    void randomEdit(Random random) {
        edit(replica -> {
            int length = replica.length();
            if (length > 0 && random.nextInt(3) == 0) {
                int index = random.nextInt(length);
                return replica.delete(index, Math.min(length - index, 1 + random.nextInt(3)));
            }
            StringBuilder text = new StringBuilder();
            for (int i = random.nextInt(3); i >= 0; i--) {
                text.append((char) ('a' + random.nextInt(26)));
            }
            return replica.insert(random.nextInt(length + 1), text.toString());
        });
    }

    /**
     * Applies an edit locally and sends it. The client's lock is not held while sending: the JDK
     * may call the listener on the thread that completes sends.
     */
    private String edit(Function<Replica, Delta> change) {
        synchronized (sending) {
            String opId;
            String frame;
            synchronized (this) {
                Delta delta = change.apply(replica);
                opId = name + "-" + (nextOp++);
                unacknowledged.put(opId, delta);
                frame = frame(opId, delta);
            }
            sendText(frame);
            return opId;
        }
    }

    /** Sends a frame exactly as given, for tests of bad input. */
    void sendRaw(String frame) {
        synchronized (sending) {
            sendText(frame);
        }
    }

    static String frame(String opId, Delta delta) {
        JsonObject ops = JsonDeltaCodec.toJson(delta);
        return Json.createObjectBuilder()
                .add("type", "delta")
                .add("opId", opId)
                .add("ops", ops.get("ops"))
                .build()
                .toString();
    }

    /** Orders outgoing frames; never taken by the listener. */
    private final Object sending = new Object();

    private void sendText(String frame) {
        try {
            socket.sendText(frame, true).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            // The connection is gone; the edit stays unacknowledged and is resent on rejoin.
        }
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            List<JsonObject> frames = Api.frames(partial.toString());
            partial.setLength(0);
            frames.forEach(this::handle);
        }
        webSocket.request(1);
        return null;
    }

    private synchronized void handle(JsonObject frame) {
        switch (frame.getString("type")) {
            case "joined" -> joined(frame);
            case "delta" -> {
                long deltaVersion = frame.getJsonNumber("version").longValue();
                if (deltaVersion > version) {
                    replica.apply(JsonDeltaCodec.fromJson(frame));
                    version = deltaVersion;
                }
                lastOffset = Math.max(lastOffset, frame.getJsonNumber("offset").longValue());
            }
            case "ack" -> {
                String opId = frame.getString("opId");
                Delta delta = unacknowledged.remove(opId);
                if (delta != null) {
                    delta.operations().stream()
                            .filter(Operation.Insert.class::isInstance)
                            .forEach(op -> acknowledgedInserts.add(op.id()));
                }
                acknowledged.add(opId);
                long ackVersion = frame.getJsonNumber("version").longValue();
                if (ackVersion > 0) {
                    versionsAcknowledged++;
                }
                version = Math.max(version, ackVersion);
            }
            case "error" -> errors.add(frame);
            default -> others.add(frame);
        }
        notifyAll();
    }

    private void joined(JsonObject frame) {
        site = frame.getInt("site");
        long joinedAt = frame.getJsonNumber("version").longValue();
        if (frame.containsKey("snapshot")) {
            int nextCounter = replica == null ? 0 : replica.nextCounter();
            replica = SnapshotCodec.decode(Base64.getDecoder().decode(frame.getString("snapshot")), site, nextCounter);
            // Its inserts the log had and that are missing were deleted since (docs/lseq.md).
            int logged = replica.highestCounter(site);
            unacknowledged.values().forEach(delta -> replica.reapplyOwn(delta, logged));
            snapshotReceived = true;
        } else if (replica == null) {
            replica = new Replica(site);
        }
        version = joinedAt;
        role = frame.getString("role");
        joined = true;
    }

    @Override
    public synchronized CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        if (webSocket == retired) {
            return null;
        }
        closeCode = statusCode;
        notifyAll();
        return null;
    }

    @Override
    public synchronized void onError(WebSocket webSocket, Throwable error) {
        if (webSocket == retired) {
            return;
        }
        closeCode = 1006;
        notifyAll();
    }

    /** Waits until every edit sent is acknowledged. */
    void awaitAcknowledged() throws InterruptedException, TimeoutException {
        await(() -> unacknowledged.isEmpty(), "every edit acknowledged");
    }

    /** Waits until this client has processed {@code target}. */
    void awaitVersion(long target) throws InterruptedException, TimeoutException {
        await(() -> version >= target, "version " + target);
    }

    synchronized void await(BooleanSupplier condition, String what) throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new TimeoutException(name + " waited for " + what + "; errors: " + errors);
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    /** Whether a frame of this type came (other than joined, delta, ack, error). */
    synchronized boolean received(String type) {
        return others.stream().anyMatch(frame -> type.equals(frame.getString("type", null)));
    }

    /** The role the server gave in the last joined frame. */
    synchronized String role() {
        return role;
    }

    synchronized String text() {
        return replica.text();
    }

    synchronized long version() {
        return version;
    }

    /** The highest log offset of the delta frames received (the design's lastOffsetProcessed). */
    synchronized long lastOffset() {
        return lastOffset;
    }

    synchronized int site() {
        return site;
    }

    synchronized boolean snapshotReceived() {
        return snapshotReceived;
    }

    synchronized List<JsonObject> errors() {
        return new ArrayList<>(errors);
    }

    synchronized List<String> acknowledgedOps() {
        return new ArrayList<>(acknowledged);
    }

    /** The characters of this client's acknowledged inserts, in document order. */
    synchronized String acknowledgedInsertsInDocumentOrder() {
        StringBuilder text = new StringBuilder();
        String all = replica.text();
        List<Identifier> ids = replica.identifiers();
        for (int i = 0; i < ids.size(); i++) {
            if (acknowledgedInserts.contains(ids.get(i))) {
                text.append(all.charAt(i));
            }
        }
        return text.toString();
    }

    /** The identifiers of this client's acknowledged inserts. */
    synchronized Set<Identifier> acknowledgedInsertIds() {
        return new HashSet<>(acknowledgedInserts);
    }

    /** The identifiers of every character this client's replica holds, in document order. */
    synchronized List<Identifier> identifiers() {
        return replica == null ? List.of() : replica.identifiers();
    }

    synchronized boolean isJoined() {
        return joined;
    }

    /** How many of this client's deltas got a version of their own (the others changed nothing). */
    synchronized int versionsAcknowledged() {
        return versionsAcknowledged;
    }

    synchronized int closeCode() {
        return closeCode;
    }

    synchronized int unacknowledgedCount() {
        return unacknowledged.size();
    }

    @Override
    public void close() {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
    }
}
