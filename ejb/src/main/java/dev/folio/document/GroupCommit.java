package dev.folio.document;

import java.util.List;
import java.util.concurrent.Executor;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.Timer;

/**
 * Publishes what open documents accepted to the log, a round at a time per document: one task
 * takes everything waiting (up to a record's size) and publishes it as one durable record, then
 * hands the next round to the pool. {@link LiveDocument} says when a round may go.
 */
final class GroupCommit {

    private static final Logger LOG = Logger.getLogger(GroupCommit.class.getName());

    private final DeltaPublisher publisher;
    private final Executor working;
    private final OpenDocuments open;
    private final OutageBackoff outage;
    private final Timer publishes;
    private final Counter published;

    GroupCommit(
            DeltaPublisher publisher,
            Executor working,
            OpenDocuments open,
            OutageBackoff outage,
            Timer publishes,
            Counter published) {
        this.publisher = publisher;
        this.working = working;
        this.open = open;
        this.outage = outage;
        this.publishes = publishes;
        this.published = published;
    }

    /** Starts publishing the document's rounds (its document said one must start now). */
    void start(DocumentSlot slot) {
        working.execute(() -> publishNextRound(slot));
    }

    /**
     * One round: publishes what waits as one durable record, and hands the next round to the pool;
     * an empty round ends the publishing. If publishing fails the document is unloaded: its clients
     * join again and resend what was not acknowledged.
     */
    private void publishNextRound(DocumentSlot slot) {
        List<SubmittedDelta> batch;
        synchronized (slot) {
            if (slot.evicted) {
                return;
            }
            batch = slot.document.nextBatch();
            if (batch.isEmpty()) {
                return;
            }
        }
        try {
            publishes.time(() -> publisher.publish(slot.id, batch));
        } catch (RuntimeException e) {
            outage.failed(System.nanoTime());
            LOG.log(
                    Level.SEVERE,
                    "document " + slot.id + ": publishing " + batch.size() + " deltas failed; unloading it",
                    e);
            synchronized (slot) {
                if (!slot.evicted) {
                    slot.document.publishFailed();
                    open.evict(slot);
                }
            }
            return;
        }
        synchronized (slot) {
            if (!slot.evicted) {
                slot.document.published(batch);
            }
        }
        outage.succeeded();
        published.inc(batch.size());
        start(slot);
    }
}
