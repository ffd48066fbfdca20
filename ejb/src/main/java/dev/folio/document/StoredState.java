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

    /**
     * Whether the snapshot's offsets are offsets of the log named {@code identity}: offsets of
     * another log (a topic made again, partitions added) do not compare. A snapshot from before the
     * log was named is taken to be of the log now.
     */
    public boolean countsOffsetsOf(String identity) {
        return log == null || log.equals(identity);
    }
}
