package dev.folio.document;

import dev.folio.lseq.InvalidDeltaException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.logging.Logger;
import org.eclipse.microprofile.metrics.Counter;

/**
 * The documents open on this node, each in its {@link DocumentSlot}: opened (read from the
 * snapshot and the log after it) on first use, under the document's lock, and dropped again.
 * Thread-safe.
 */
final class OpenDocuments {

    private static final Logger LOG = Logger.getLogger(OpenDocuments.class.getName());

    /** How a document is opened: where it is read from, and how its replica is set up. */
    record Reading(DocumentStore store, DocumentLog log, int catchUpDeltas, int roundsInFlight) {}

    private final ConcurrentHashMap<UUID, DocumentSlot> open = new ConcurrentHashMap<>();
    private final Reading reading;
    private final OutageBackoff outage;
    private final Counter loads;

    OpenDocuments(Reading reading, OutageBackoff outage, Counter loads) {
        this.reading = reading;
        this.outage = outage;
        this.loads = loads;
    }

    /** Runs {@code action} under the document's lock, loading the document first if needed. */
    <T> T locked(UUID id, Function<DocumentSlot, T> action) {
        while (true) {
            DocumentSlot slot = open.computeIfAbsent(id, DocumentSlot::new);
            synchronized (slot) {
                if (slot.evicted) {
                    continue;
                }
                if (slot.document == null) {
                    slot.document = loadUnlessFailing(slot);
                }
                return action.apply(slot);
            }
        }
    }

    /** The document's slot if it is open (or opening) here, else null. */
    DocumentSlot find(UUID id) {
        return open.get(id);
    }

    /** The document's slot, registered (not loaded) if it was not open: for closing it for good. */
    DocumentSlot slot(UUID id) {
        return open.computeIfAbsent(id, DocumentSlot::new);
    }

    Collection<DocumentSlot> all() {
        return open.values();
    }

    int count() {
        return open.size();
    }

    /** Called with the slot's lock held. */
    void evict(DocumentSlot slot) {
        slot.evicted = true;
        open.remove(slot.id, slot);
    }

    /**
     * Loads the document, unless loading or publishing failed a moment ago: then it is refused at
     * once ({@link OutageBackoff}), so clients rejoining during an outage cost the node nothing.
     */
    private LiveDocument loadUnlessFailing(DocumentSlot slot) {
        Duration refused = outage.refusedFor(System.nanoTime());
        if (!refused.isZero()) {
            evict(slot);
            throw new DocumentUnavailableException(
                    "the document cannot be opened while the broker, Kafka or the database fails; try again later",
                    refused);
        }
        try {
            return load(slot);
        } catch (UnknownDocumentException | IncompleteHistoryException | InvalidDeltaException e) {
            throw e; // about this document alone, not something every document needs
        } catch (RuntimeException e) {
            outage.failed(System.nanoTime());
            throw e;
        }
    }

    /**
     * Loads the document from its snapshot and the log after it. The slot is already registered,
     * so records the feed brings meanwhile wait in its inbox; those the log read here also has are
     * skipped when applied (by offset).
     */
    private LiveDocument load(DocumentSlot slot) {
        long started = System.nanoTime();
        Optional<StoredState> state;
        List<LoggedBatch> after;
        try {
            state = reading.store().load(slot.id);
            if (state.isPresent()) {
                slot.log = sameLog(slot.id, state.get());
            }
            after = state.isEmpty()
                    ? List.of()
                    : reading.log().after(slot.id, state.get().logOffset());
        } catch (RuntimeException e) {
            evict(slot);
            throw e;
        }
        if (state.isEmpty()) {
            evict(slot);
            throw new UnknownDocumentException(slot.id);
        }
        loads.inc();
        LiveDocument document;
        try {
            document = LiveDocument.restore(
                    slot.id, state.get(), after, reading.catchUpDeltas(), reading.roundsInFlight());
        } catch (RuntimeException e) {
            evict(slot); // a slot without a document must not stay open: the feed would feed it
            throw e;
        }
        if (document.deleted()) {
            evict(slot);
            throw new UnknownDocumentException(slot.id);
        }
        LOG.info(() -> String.format(
                "document %s loaded at version %d (snapshot %d + %d log records, %d characters) in %d ms",
                slot.id,
                document.version(),
                state.get().snapshotVersion(),
                after.size(),
                document.length(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)));
        return document;
    }

    /**
     * The log the document's snapshot counts offsets of, which must be the log now: offsets of
     * another (a topic created again, partitions added) would make every new record look like a
     * replay, and the document would silently miss them all.
     *
     * @throws IncompleteHistoryException if it is another log
     */
    private String sameLog(UUID id, StoredState state) {
        String now = reading.log().identity();
        if (!state.countsOffsetsOf(now)) {
            IncompleteHistoryException other = new IncompleteHistoryException(
                    id,
                    "its snapshot covers offset " + state.logOffset() + " of the log " + state.log()
                            + " (topic id:partitions), but the log is now " + now
                            + "; its offsets do not compare (docs/operations.md, \"Event-log gaps\")");
            LOG.severe(other::getMessage);
            throw other;
        }
        return now;
    }
}
