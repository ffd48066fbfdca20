package dev.folio.document;

import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * A document rebuilt away from any session: a stored state and the log records after it, applied as
 * a node applies them ({@link LiveDocument}), so its version and text are what every node had at
 * that offset. The compactor builds the snapshot at the end of each archived range with it, and the
 * history reads past versions with it.
 */
public final class RebuiltDocument {

    /** Site of the watcher that reports applied deltas: no client's, since it never sends. */
    private static final int WATCHER_SITE = Integer.MAX_VALUE;

    private final LiveDocument document;

    private RebuiltDocument(LiveDocument document) {
        this.document = document;
    }

    /**
     * The document at {@code start} (a stored snapshot, or {@link #EMPTY} before its first record)
     * with {@code records} applied; records at or before the state's offset change nothing.
     */
    public static RebuiltDocument of(UUID id, StoredState start, List<LoggedBatch> records) {
        return from(id, start).apply(records);
    }

    /** The document at {@code start}, for records to be applied to it one by one. */
    public static RebuiltDocument from(UUID id, StoredState start) {
        return new RebuiltDocument(LiveDocument.restore(id, start, List.of(), 1));
    }

    /**
     * From now on {@code applied} hears of every delta that makes a version, as it is applied (the
     * document's {@link #length()} is then the length that version has).
     */
    public RebuiltDocument watch(Consumer<AcceptedDelta> applied) {
        document.join(new Watcher(applied), document.version(), 0);
        return this;
    }

    public RebuiltDocument apply(List<LoggedBatch> records) {
        records.forEach(document::logged);
        return this;
    }

    public RebuiltDocument apply(LoggedBatch record) {
        document.logged(record);
        return this;
    }

    /** A document before any record of the log: no snapshot, version 0. */
    public static final StoredState EMPTY = new StoredState(null, 0, -1);

    /** Its state now, as a snapshot covering the last record applied. */
    public StoredState state() {
        LiveDocument.Snapshot snapshot = document.snapshot();
        return new StoredState(snapshot.bytes(), snapshot.version(), snapshot.logOffset());
    }

    public long version() {
        return document.version();
    }

    /** The offset of the last record applied (or of the start state). */
    public long logOffset() {
        return document.logOffset();
    }

    public String text() {
        return document.text();
    }

    /** Characters (code points) now. */
    public int length() {
        return document.length();
    }

    /** Hears the applied deltas; it never sends, so it is never acknowledged, refused or closed. */
    private record Watcher(Consumer<AcceptedDelta> applied) implements DeltaSubscriber {

        @Override
        public int site() {
            return WATCHER_SITE;
        }

        @Override
        public String userId() {
            return null;
        }

        @Override
        public void joined(long version, byte[] snapshot) {}

        @Override
        public void deliver(AcceptedDelta delta) {
            applied.accept(delta);
        }

        @Override
        public void acknowledged(String opId, long version) {}

        @Override
        public void refused(String opId, String code, String message) {}

        @Override
        public void closed(Closure reason) {}
    }
}
