package dev.folio.document;

import dev.folio.document.LiveDocument.Snapshot;
import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.metrics.Timer;

/**
 * Writes open documents' snapshots to the store. The snapshot is taken under the document's lock
 * and written outside it (except on write-back, where the caller holds it), so a slow database never
 * holds up a document's edits.
 */
final class SnapshotWriter {

    private static final Logger LOG = Logger.getLogger(SnapshotWriter.class.getName());

    private final DocumentStore store;
    private final Timer writes;

    SnapshotWriter(DocumentStore store, Timer writes) {
        this.store = store;
        this.writes = writes;
    }

    /**
     * Called with the slot's lock held: makes the stored snapshot cover the whole document.
     *
     * @return whether the stored snapshot now covers the document
     */
    boolean writeBack(DocumentSlot slot) {
        return !slot.document.hasUnsavedChanges() || write(slot, slot.document.snapshot());
    }

    /**
     * Writes a snapshot. One the store finds older than its own is not written, and that is fine:
     * another node wrote a newer one of the same log.
     */
    boolean write(DocumentSlot slot, Snapshot snapshot) {
        if (!LogLimits.snapshotStorable(snapshot.bytes())) {
            // Stored, it could not be loaded again: the log keeps the document meanwhile.
            LOG.severe(() -> "document " + slot.id + ": its snapshot at version " + snapshot.version() + " takes "
                    + snapshot.bytes().length + " bytes, more than can be stored and loaded again; not written");
            synchronized (slot) {
                slot.document.snapshotFailed();
            }
            return false;
        }
        long started = System.nanoTime();
        try {
            boolean written =
                    store.saveSnapshot(slot.id, snapshot.bytes(), snapshot.version(), snapshot.logOffset(), slot.log);
            writes.update(Duration.ofNanos(System.nanoTime() - started));
            synchronized (slot) {
                slot.document.snapshotStored(snapshot.version());
            }
            LOG.fine(() -> "document " + slot.id + " snapshot at version " + snapshot.version()
                    + (written ? "" : " was older than the stored one"));
            return true;
        } catch (RuntimeException e) {
            LOG.log(
                    Level.WARNING,
                    "document " + slot.id + ": writing the snapshot at version " + snapshot.version() + " failed",
                    e);
            synchronized (slot) {
                slot.document.snapshotFailed();
            }
            return false;
        }
    }
}
