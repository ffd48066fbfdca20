package dev.folio.admin;

import dev.folio.access.Caller;
import dev.folio.admin.RefusedActionException.Reason;
import dev.folio.audit.AuditAction;
import dev.folio.audit.AuditLog;
import dev.folio.audit.AuditTarget;
import dev.folio.document.DocumentLog;
import dev.folio.document.DocumentStore;
import dev.folio.document.LogLimits;
import dev.folio.document.LoggedBatch;
import dev.folio.document.RebuiltDocument;
import dev.folio.document.StoredState;
import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import java.util.List;
import java.util.UUID;
import java.util.logging.Logger;

/**
 * "Take a snapshot now": the document's stored snapshot and the log records after it, applied as a
 * node applies them on load ({@link RebuiltDocument}), give the document at the log's end, which is
 * its live version on every node that has read the log so far (a node shows no version the log does
 * not hold). So the snapshot is taken here, whichever nodes have the document open, and needs no
 * command to them: their own later snapshots are newer, and the store never writes an older one
 * over a newer. Written with its audit entry in one transaction.
 */
@Stateless
public class SnapshotsOnDemand {

    private static final Logger LOG = Logger.getLogger(SnapshotsOnDemand.class.getName());

    @EJB
    DocumentStore store;

    @Inject
    DocumentLog log;

    @EJB
    AuditLog audit;

    /**
     * What was taken: the snapshot's version and log offset, and whether it was written (not when
     * the stored one already covered the log, or a node wrote a newer one meanwhile).
     */
    public record Taken(long version, long logOffset, long previousVersion, boolean written) {}

    public Taken takeNow(Caller admin, UUID documentId) {
        StoredState stored = store.load(documentId)
                .orElseThrow(() ->
                        new RefusedActionException(Reason.UNKNOWN, "unknown-document", "no document " + documentId));
        String identity = log.identity();
        if (!stored.countsOffsetsOf(identity)) {
            throw new RefusedActionException(
                    Reason.CONFLICT,
                    "other-log",
                    "the stored snapshot counts offsets of the log " + stored.log() + ", not of the log now ("
                            + identity + "); see docs/operations.md, \"Event-log gaps\"");
        }
        List<LoggedBatch> after = log.after(documentId, stored.logOffset());
        StoredState now = RebuiltDocument.of(documentId, stored, after).state();
        if (now.snapshot() != null && !LogLimits.snapshotStorable(now.snapshot())) {
            throw new RefusedActionException(
                    Reason.LIMIT,
                    "snapshot-too-large",
                    "the snapshot at version " + now.snapshotVersion() + " takes " + now.snapshot().length
                            + " bytes, more than can be stored and loaded again");
        }
        boolean written = now.snapshotVersion() > stored.snapshotVersion()
                && store.saveSnapshot(documentId, now.snapshot(), now.snapshotVersion(), now.logOffset(), identity);
        Taken taken = new Taken(now.snapshotVersion(), now.logOffset(), stored.snapshotVersion(), written);
        audit.record(admin, AuditAction.DOCUMENT_SNAPSHOT, AuditTarget.document(documentId), detail(taken));
        LOG.info(() -> "document " + documentId + ": " + detail(taken) + ", asked by the administrator " + admin);
        return taken;
    }

    private static String detail(Taken taken) {
        return taken.written()
                ? "snapshot at version " + taken.version() + " (was " + taken.previousVersion() + ")"
                : "the stored snapshot already covered version " + taken.version();
    }
}
