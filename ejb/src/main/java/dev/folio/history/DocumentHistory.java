package dev.folio.history;

import dev.folio.archive.ArchivedRange;
import dev.folio.archive.EventArchive;
import dev.folio.document.AcceptedDelta;
import dev.folio.document.LoggedBatch;
import dev.folio.document.RebuiltDocument;
import dev.folio.document.StoredState;
import dev.folio.document.SubmittedDelta;
import dev.folio.eventlog.BatchEvents;
import dev.folio.eventlog.EventLog;
import dev.folio.eventlog.LoggedDelta;
import dev.folio.lseq.Operation;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * A document's past, read from its chain of archives and the events the event log still holds. Each
 * archive holds the document's state at its range's end, so a range is rebuilt from the archive
 * before it alone; the events after the last archive start from that one's end (or from the empty
 * document). Replaying a range applies its records as a node did, so versions and text are those
 * every node had.
 *
 * <p>The chain must begin with the document's first record, as compaction makes it: a document
 * whose stored snapshot predates the event log has no such chain (docs/operations.md).
 */
public final class DocumentHistory {

    private final EventLog eventLog;
    private final EventArchive archive;
    private final Clock clock;

    public DocumentHistory(EventLog eventLog, EventArchive archive, Clock clock) {
        this.eventLog = Objects.requireNonNull(eventLog, "eventLog");
        this.archive = Objects.requireNonNull(archive, "archive");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * One stretch of the chain: an archive's events, or the event log's after the last archive
     * ({@code end} null), with the state they start from.
     *
     * @param lastOffset the last offset the stretch covers
     */
    private record Stretch(StoredState start, List<LoggedDelta> events, StoredState end, long lastOffset) {

        /** The event of each (offset, operation id): who made a delta, and when. */
        Map<String, LoggedDelta> byDelta() {
            Map<String, LoggedDelta> events = new HashMap<>();
            this.events.forEach(event -> events.putIfAbsent(key(event.kafkaOffset(), event.operationId()), event));
            return events;
        }

        Instant timeOf(long offset) {
            return events.stream()
                    .filter(event -> event.kafkaOffset() == offset)
                    .map(LoggedDelta::createdAt)
                    .findFirst()
                    .orElse(null);
        }
    }

    /**
     * The document as its whole history leaves it, with what its events say of it, for putting back
     * a document the store lost.
     *
     * @param state its state after the last record of its history
     * @param title the title its latest event names ("" if none does)
     * @param authorId its owner, as its latest event names it (null if none does)
     * @param createdAt when its first edit was logged (null if it has none)
     */
    public record Latest(StoredState state, String title, UUID authorId, Instant createdAt) {}

    public Latest latest(UUID documentId) {
        List<Stretch> chain = chain(documentId);
        Stretch tail = chain.get(chain.size() - 1);
        StoredState state = RebuiltDocument.of(documentId, tail.start(), BatchEvents.records(documentId, tail.events()))
                .state();
        String title = "";
        UUID authorId = null;
        Instant createdAt = null;
        for (Stretch stretch : chain) {
            for (LoggedDelta event : stretch.events()) {
                createdAt = createdAt == null ? event.createdAt() : createdAt;
                title = event.title().isEmpty() ? title : event.title();
                authorId = event.authorId() == null ? authorId : event.authorId();
            }
        }
        return new Latest(state, title, authorId, createdAt);
    }

    /** Every version of the document, oldest first. */
    public List<PastVersion> versions(UUID documentId) {
        List<PastVersion> versions = new ArrayList<>();
        for (Stretch stretch : chain(documentId)) {
            Map<String, LoggedDelta> events = stretch.byDelta();
            RebuiltDocument document = RebuiltDocument.from(documentId, stretch.start());
            document.watch(delta -> versions.add(version(delta, events, document.length())))
                    .apply(BatchEvents.records(documentId, stretch.events()));
        }
        return versions;
    }

    private static PastVersion version(AcceptedDelta delta, Map<String, LoggedDelta> events, int length) {
        LoggedDelta event = events.get(key(delta.offset(), delta.site() + ":" + delta.opId()));
        int inserted = (int) delta.delta().operations().stream()
                .filter(Operation.Insert.class::isInstance)
                .count();
        return new PastVersion(
                delta.version(),
                delta.offset(),
                event == null ? null : event.editorId(),
                event == null ? null : event.createdAt(),
                length,
                inserted,
                delta.delta().size() - inserted);
    }

    /**
     * The document's text at {@code point}.
     *
     * @throws OutsideHistoryException for a version or offset after the document's last, or a moment
     *     still to come
     */
    public PastText textAt(UUID documentId, PastPoint point) {
        if (point instanceof PastPoint.AtVersion version) {
            return atVersion(documentId, version.version());
        }
        if (point instanceof PastPoint.AtOffset offset) {
            return atOffset(documentId, offset.offset(), chain(documentId));
        }
        return atTime(documentId, ((PastPoint.AtTime) point).at());
    }

    private PastText atVersion(UUID documentId, long version) {
        if (version == 0) {
            return new PastText(0, -1, null, "");
        }
        List<Stretch> chain = chain(documentId);
        for (Stretch stretch : chain) {
            if (stretch.end() != null && stretch.end().snapshotVersion() < version) {
                continue; // wholly before it
            }
            PastText found = throughVersion(documentId, stretch, version);
            if (found != null) {
                return found;
            }
        }
        throw new OutsideHistoryException(
                "unknown-version",
                "version " + version + " is not in the history of document " + documentId + ", which has versions 0 to "
                        + lastVersion(documentId, chain.get(chain.size() - 1)));
    }

    private static long lastVersion(UUID documentId, Stretch stretch) {
        return RebuiltDocument.of(documentId, stretch.start(), BatchEvents.records(documentId, stretch.events()))
                .version();
    }

    /**
     * The stretch's text right after the delta that made {@code version}, or null if none of its
     * deltas did. A record can carry several deltas: the one that made it may be in the middle.
     */
    private static PastText throughVersion(UUID documentId, Stretch stretch, long version) {
        List<LoggedBatch> records = BatchEvents.records(documentId, stretch.events());
        AcceptedDelta[] made = new AcceptedDelta[1];
        RebuiltDocument document = RebuiltDocument.from(documentId, stretch.start())
                .watch(delta -> {
                    if (delta.version() == version) {
                        made[0] = delta;
                    }
                });
        int applied = 0;
        while (applied < records.size() && made[0] == null) {
            document.apply(records.get(applied++));
        }
        if (made[0] == null) {
            return null;
        }
        LoggedBatch last = records.get(applied - 1);
        int through = indexOf(last.deltas(), made[0]);
        if (through < last.deltas().size() - 1) {
            // The deltas after it in the same record must not count: rebuild up to it alone.
            LoggedBatch part =
                    new LoggedBatch(documentId, last.offset(), last.deltas().subList(0, through + 1), false);
            document = RebuiltDocument.from(documentId, stretch.start())
                    .apply(records.subList(0, applied - 1))
                    .apply(part);
        }
        return text(document, stretch.timeOf(last.offset()));
    }

    private static int indexOf(List<SubmittedDelta> deltas, AcceptedDelta delta) {
        for (int i = 0; i < deltas.size(); i++) {
            if (deltas.get(i).site() == delta.site() && deltas.get(i).opId().equals(delta.opId())) {
                return i;
            }
        }
        throw new IllegalStateException("delta " + delta.opId() + " is not in the record that made it");
    }

    private static PastText atOffset(UUID documentId, long offset, List<Stretch> chain) {
        Stretch tail = chain.get(chain.size() - 1);
        if (offset > tail.lastOffset()) {
            throw new OutsideHistoryException(
                    "unknown-offset",
                    "offset " + offset + " is after the last record of document " + documentId + "'s history ("
                            + tail.lastOffset() + ")");
        }
        Stretch stretch = chain.stream()
                .filter(candidate -> candidate.lastOffset() >= offset)
                .findFirst()
                .orElseThrow();
        List<LoggedBatch> records = BatchEvents.records(documentId, stretch.events()).stream()
                .filter(record -> record.offset() <= offset)
                .toList();
        RebuiltDocument document = RebuiltDocument.of(documentId, stretch.start(), records);
        return text(
                document,
                records.isEmpty()
                        ? null
                        : stretch.timeOf(records.get(records.size() - 1).offset()));
    }

    /** The records the log took up to {@code at}, in log order, stopping at the first taken after it. */
    private PastText atTime(UUID documentId, Instant at) {
        if (at.isAfter(clock.instant())) {
            throw new OutsideHistoryException("in-the-future", at + " is still to come");
        }
        List<Stretch> chain = chain(documentId);
        long through = -1;
        search:
        for (Stretch stretch : chain) {
            for (LoggedDelta event : stretch.events()) {
                if (event.createdAt().isAfter(at)) {
                    break search;
                }
                through = event.kafkaOffset();
            }
        }
        return through < 0 ? new PastText(0, -1, null, "") : atOffset(documentId, through, chain);
    }

    private static PastText text(RebuiltDocument document, Instant at) {
        return new PastText(document.version(), document.logOffset(), at, document.text());
    }

    /** The document's archives, each checked, and then the event log's events after the last. */
    private List<Stretch> chain(UUID documentId) {
        List<Stretch> chain = new ArrayList<>();
        StoredState start = RebuiltDocument.EMPTY;
        long archivedTo = -1;
        for (String key : archive.keys(documentId)) {
            ArchivedRange range = archive.read(documentId, key);
            chain.add(new Stretch(start, range.events(), range.end(), range.toOffset()));
            start = range.end();
            archivedTo = range.toOffset();
        }
        // Events an interrupted compaction left behind its last archive are in that archive too.
        List<LoggedDelta> after = eventLog.replayRange(documentId, archivedTo, Long.MAX_VALUE);
        long last = after.isEmpty() ? archivedTo : after.get(after.size() - 1).kafkaOffset();
        chain.add(new Stretch(start, after, null, last));
        return chain;
    }

    private static String key(long offset, String operationId) {
        return offset + "\n" + operationId;
    }
}
