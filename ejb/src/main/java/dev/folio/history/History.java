package dev.folio.history;

import dev.folio.archive.ConfiguredEventArchive;
import dev.folio.document.DocumentManager;
import dev.folio.eventlog.ConfiguredEventLog;
import dev.folio.lseq.Delta;
import dev.folio.lseq.Replica;
import dev.folio.lseq.SnapshotCodec;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Logger;

/**
 * A document's past, on this node's archive and event log ({@link DocumentHistory}), and restoring
 * it: the past text becomes the current one through ordinary deltas ({@link RestoreEdits}) sent by a
 * session of the restoring user ({@link RestoringClient}), so every connected client converges on
 * it and the history records who restored it. Edits others make meanwhile merge with it as with any
 * edit. Callers check who may do what.
 */
@ApplicationScoped
public class History {

    private static final Logger LOG = Logger.getLogger(History.class.getName());

    /** How long a restore's edits may take to come back from the log. */
    private static final long ACK_SECONDS = 60;

    @Inject
    ConfiguredEventLog eventLog;

    @Inject
    ConfiguredEventArchive archive;

    @EJB
    DocumentManager manager;

    /** What a restore did: the past version it brought back, the version it made, its deltas. */
    public record Restored(long restoredVersion, long version, int deltas) {}

    private DocumentHistory history() {
        return new DocumentHistory(eventLog, archive, Clock.systemUTC());
    }

    /** Every version of the document, oldest first. */
    public List<PastVersion> versions(UUID documentId) {
        return history().versions(documentId);
    }

    /** @throws OutsideHistoryException if the history does not hold {@code point} */
    public PastText textAt(UUID documentId, PastPoint point) {
        return history().textAt(documentId, point);
    }

    /**
     * Makes the text at {@code point} the document's current text, as {@code userId}.
     *
     * @throws OutsideHistoryException if the history does not hold {@code point} (nothing changes)
     * @throws RestoreFailedException if the edits did not all reach the log in time
     */
    public Restored restore(UUID documentId, PastPoint point, String userId) {
        PastText past = textAt(documentId, point);
        RestoringClient client = new RestoringClient(manager.newSite(userId), userId);
        manager.join(documentId, client, -1);
        try {
            RestoringClient.Joined joined = await(client.joined());
            Replica replica = SnapshotCodec.decode(joined.snapshot(), client.site(), 0);
            RestoreEdits.Edits edits = RestoreEdits.between(replica, past.text());
            // Deletes first, all in the log, then inserts: the document never holds both texts.
            long version = Math.max(joined.version(), send(documentId, client, edits.deletes(), "d"));
            version = Math.max(version, send(documentId, client, edits.inserts(), "i"));
            long made = version;
            LOG.info(() -> "document " + documentId + ": user " + userId + " restored version " + past.version()
                    + " as version " + made + " (" + edits.size() + " deltas)");
            return new Restored(past.version(), version, edits.size());
        } finally {
            manager.leave(documentId, client);
        }
    }

    /** Submits the deltas and waits until the log has them all; returns the last version they made. */
    private long send(UUID documentId, RestoringClient client, List<Delta> deltas, String kind) {
        List<CompletableFuture<Long>> acks = new ArrayList<>();
        for (int i = 0; i < deltas.size(); i++) {
            String opId = "restore-" + kind + i;
            acks.add(client.ackOf(opId));
            manager.submit(documentId, client, opId, deltas.get(i));
        }
        long version = 0;
        for (CompletableFuture<Long> ack : acks) {
            version = Math.max(version, await(ack));
        }
        return version;
    }

    private static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get(ACK_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RestoreFailedException failed
                    ? failed
                    : new RestoreFailedException("the restore failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new RestoreFailedException("the log did not take the restore's edits within " + ACK_SECONDS + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RestoreFailedException("interrupted while restoring", e);
        }
    }
}
