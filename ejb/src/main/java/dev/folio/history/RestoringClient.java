package dev.folio.history;

import dev.folio.document.AcceptedDelta;
import dev.folio.document.DeltaSubscriber;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The server-side client a restore edits through: a session of its own, with its own site and its
 * user, joined like a browser, so its deltas take the normal edit path (checked, published, logged,
 * acknowledged, forwarded to every other session). It needs nothing others send.
 */
final class RestoringClient implements DeltaSubscriber {

    private final int site;
    private final String userId;
    private final CompletableFuture<Joined> joined = new CompletableFuture<>();
    private final Map<String, CompletableFuture<Long>> acks = new ConcurrentHashMap<>();
    private volatile boolean closing;

    record Joined(long version, byte[] snapshot) {}

    RestoringClient(int site, String userId) {
        this.site = site;
        this.userId = userId;
    }

    @Override
    public int site() {
        return site;
    }

    @Override
    public String userId() {
        return userId;
    }

    /** What the join gave: the document's state as a snapshot (a join from version -1 always gets one). */
    CompletableFuture<Joined> joined() {
        return joined;
    }

    /** Completes with the version {@code opId} got once the log has it. */
    CompletableFuture<Long> ackOf(String opId) {
        return acks.computeIfAbsent(opId, id -> new CompletableFuture<>());
    }

    @Override
    public void joined(long version, byte[] snapshot) {
        joined.complete(new Joined(version, snapshot));
    }

    @Override
    public void deliver(AcceptedDelta delta) {
        // Others' edits meanwhile: the restore's deltas merge with them as anyone's would.
    }

    @Override
    public void acknowledged(String opId, long version) {
        ackOf(opId).complete(version);
    }

    @Override
    public void refused(String opId, String code, String message) {
        ackOf(opId).completeExceptionally(new RestoreFailedException(code + ": " + message));
    }

    @Override
    public void closed(Closure reason) {
        closing = true;
        RestoreFailedException closed =
                new RestoreFailedException("the document closed the restore's session: " + reason);
        joined.completeExceptionally(closed);
        acks.values().forEach(ack -> ack.completeExceptionally(closed));
    }

    @Override
    public boolean isClosing() {
        return closing;
    }
}
