package dev.folio.document;

import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A document open on this node: its lock (the slot itself), the document once loaded, and the log
 * records waiting to be applied. Everything but the inbox and the flag is read and written under
 * the lock.
 */
final class DocumentSlot {

    final UUID id;
    final Queue<LoggedBatch> inbox = new ConcurrentLinkedQueue<>();
    /** Whether a task applying the inbox is queued or running: one at a time per document. */
    final AtomicBoolean applying = new AtomicBoolean();

    LiveDocument document;
    /** The identity of the log the document was read from, which its snapshots record. */
    String log;
    /** Dropped from the open documents: whoever holds it must let go. */
    boolean evicted;

    DocumentSlot(UUID id) {
        this.id = id;
    }
}
