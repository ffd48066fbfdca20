package dev.folio.document;

import java.util.List;
import java.util.UUID;

/**
 * A document rebuilt away from any session: a stored state and the log records after it, applied as
 * a node applies them ({@link LiveDocument}), so its version and text are what every node had at
 * that offset. The compactor builds the snapshot at the end of each archived range with it.
 */
public final class RebuiltDocument {

    private final LiveDocument document;

    private RebuiltDocument(LiveDocument document) {
        this.document = document;
    }

    /**
     * The document at {@code start} (a stored snapshot, or {@link #EMPTY} before its first record)
     * with {@code records} applied; records at or before the state's offset change nothing.
     */
    public static RebuiltDocument of(UUID id, StoredState start, List<LoggedBatch> records) {
        return new RebuiltDocument(LiveDocument.restore(id, start, records, 1));
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

    public String text() {
        return document.text();
    }
}
