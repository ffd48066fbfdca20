package dev.folio.document;

import dev.folio.document.DeltaSubscriber.Closure;
import dev.folio.document.LiveDocument.Snapshot;
import java.util.concurrent.Executor;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.metrics.Counter;

/**
 * Applies the log's records, from every node, to the documents open here: each document's in log
 * order, by one task at a time, which acknowledges and forwards them (in {@link LiveDocument}). A
 * snapshot that falls due is taken as records are applied and written after.
 */
final class LogInbox {

    private static final Logger LOG = Logger.getLogger(LogInbox.class.getName());

    private final Executor working;
    private final OpenDocuments open;
    private final GroupCommit commit;
    private final SnapshotWriter snapshots;
    private final Predicate<LiveDocument> snapshotDue;
    private final Counter applied;

    LogInbox(
            Executor working,
            OpenDocuments open,
            GroupCommit commit,
            SnapshotWriter snapshots,
            Predicate<LiveDocument> snapshotDue,
            Counter applied) {
        this.working = working;
        this.open = open;
        this.commit = commit;
        this.snapshots = snapshots;
        this.snapshotDue = snapshotDue;
        this.applied = applied;
    }

    /**
     * Queues the record for its document if the document is open (or opening) here, and drops it
     * otherwise, since a document opened later reads the log itself. Returns at once.
     */
    void add(LoggedBatch record) {
        DocumentSlot slot = open.find(record.documentId());
        if (slot == null) {
            return;
        }
        slot.inbox.add(record);
        if (slot.applying.compareAndSet(false, true)) {
            working.execute(() -> applyWaiting(slot));
        }
    }

    /** Applies the records waiting in the slot's inbox, in order; one such task per document at a time. */
    private void applyWaiting(DocumentSlot slot) {
        Snapshot snapshot = null;
        synchronized (slot) {
            try {
                snapshot = applyInbox(slot);
            } finally {
                slot.applying.set(false);
            }
        }
        // A record added after the poll and before the flag was cleared found the flag set.
        if (!slot.inbox.isEmpty() && slot.applying.compareAndSet(false, true)) {
            working.execute(() -> applyWaiting(slot));
        }
        if (snapshot != null) {
            snapshots.write(slot, snapshot);
        }
    }

    /** Called with the slot's lock held; returns the snapshot now due, if one is. */
    private Snapshot applyInbox(DocumentSlot slot) {
        LoggedBatch record;
        while ((record = slot.inbox.poll()) != null) {
            if (slot.evicted || slot.document == null) {
                continue; // unloaded (the lock is held through a whole load, so never half-loaded)
            }
            try {
                if (slot.document.logged(record)) {
                    // A round of this node is back from the log: the next takes all that waits.
                    commit.start(slot);
                }
            } catch (RuntimeException e) {
                // Its replica may now lack the record: read it anew rather than go on without it.
                LOG.log(
                        Level.SEVERE,
                        "document " + slot.id + " failed to apply record " + record.offset()
                                + "; unloading it, its clients join again",
                        e);
                slot.document.close(Closure.UNAVAILABLE);
                open.evict(slot);
                continue;
            }
            applied.inc();
            if (slot.document.deleted()) {
                LOG.info(() -> "document " + slot.id + " deleted on another node, closed here");
                open.evict(slot);
            }
        }
        boolean due = !slot.evicted && slot.document != null && snapshotDue.test(slot.document);
        return due ? slot.document.snapshot() : null;
    }
}
