package dev.folio.document;

/**
 * A document as the store holds it: its latest snapshot (null if it never had an edit) at {@code
 * snapshotVersion}, covering the log up to the record at {@code logOffset} (-1 for none) of the log
 * named {@code log} ({@link DocumentLog#identity}; null in snapshots written before it was kept).
 */
public record StoredState(byte[] snapshot, long snapshotVersion, long logOffset, String log) {

    public StoredState(byte[] snapshot, long snapshotVersion, long logOffset) {
        this(snapshot, snapshotVersion, logOffset, null);
    }
}
