package dev.folio.archive;

import dev.folio.document.RebuiltDocument;
import dev.folio.document.StoredState;
import dev.folio.eventlog.BatchEvents;
import dev.folio.eventlog.EventLog;
import dev.folio.eventlog.LoggedDelta;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Compacts one document: moves its events older than its stored snapshot and than a moment into a
 * new archive, then removes them from the event log. The steps are ordered so that a crash anywhere
 * leaves every event in the event log or in a verified archive:
 *
 * <ol>
 *   <li>read and check the document's latest archive (its end state is where the next range starts),
 *       unless there is nothing to do: no leftovers (below) and no event old enough;
 *   <li>events still in the event log that the latest archive covers are the leftovers of a run cut
 *       short after writing it: removed now, if the archive holds every one of them;
 *   <li>the range: the events after the latest archive, up to the snapshot's offset, whole log
 *       records only, all older than the moment, at most {@link #MAX_EVENTS};
 *   <li>its end state is rebuilt from the latest archive's and the range's events, and must, with the
 *       events after the range, give exactly the stored snapshot's version and text;
 *   <li>the archive is written and read back ({@link EventArchive#store});
 *   <li>the lease is renewed, and the range's events are removed from the event log.
 * </ol>
 *
 * Running it again changes nothing: a range's key is fixed by its offsets, and step 2 finishes what
 * step 6 did not.
 */
public final class Compaction {

    /** At most this many events in one archive object (a few MB); a larger backlog takes several runs. */
    static final int MAX_EVENTS = 100_000;

    private final EventLog eventLog;
    private final EventArchive archive;
    private final CompactionLease lease;

    public Compaction(EventLog eventLog, EventArchive archive, CompactionLease lease) {
        this.eventLog = Objects.requireNonNull(eventLog, "eventLog");
        this.archive = Objects.requireNonNull(archive, "archive");
        this.lease = Objects.requireNonNull(lease, "lease");
    }

    /**
     * What one run did to a document.
     *
     * @param finished events an earlier, interrupted run had archived, removed now
     * @param archived events archived and removed by this run
     * @param key the archive written, or null
     */
    public record Result(int finished, int archived, String key) {}

    /** Where the document's archives end: the latest one's last offset and end state, and its events. */
    private record Chain(long toOffset, StoredState end, String key, Set<String> events) {

        static final Chain NONE = new Chain(-1, RebuiltDocument.EMPTY, null, Set.of());
    }

    /**
     * Compacts the document whose latest stored snapshot is {@code snapshot}; the caller holds its
     * lease, and has made sure the event log holds every record up to the snapshot's offset.
     *
     * @param archiveBefore only events created before this are archived
     * @throws CompactionException if events, archive and snapshot do not agree (nothing is removed)
     * @throws CorruptArchiveException if the latest archive does not check out
     */
    public Result compact(UUID documentId, StoredState snapshot, Instant archiveBefore) {
        return compact(
                documentId,
                snapshot.logOffset(),
                archiveBefore,
                (end, after) -> requireSnapshot(documentId, end, after, snapshot));
    }

    /**
     * Compacts a deleted document: all its events, whatever their age, into archives (the last run
     * of it leaves none in the event log). There is no snapshot to check the archives against: the
     * caller makes sure the event log holds every event before the deletion, as it does once the
     * event-log writer has recorded the deletion.
     */
    public Result compactDeleted(UUID documentId, long deletionOffset) {
        return compact(documentId, deletionOffset, Instant.MAX, (end, after) -> {});
    }

    /** Checks a range's end state and the events after it before anything is written. */
    private interface EndCheck {
        void check(RebuiltDocument end, List<LoggedDelta> after);
    }

    private Result compact(UUID documentId, long lastOffset, Instant archiveBefore, EndCheck endCheck) {
        List<String> keys = archive.keys(documentId);
        String latest = keys.isEmpty() ? null : keys.get(keys.size() - 1);
        long archivedTo = latest == null ? -1 : ArchivedRange.toOffsetOf(documentId, latest);
        List<LoggedDelta> events = eventsThrough(documentId, lastOffset);
        List<LoggedDelta> leftovers = before(events, archivedTo + 1);
        List<LoggedDelta> fresh = events.subList(leftovers.size(), events.size());
        long cut = cut(fresh, archiveBefore);
        if (leftovers.isEmpty() && cut < 0) {
            return new Result(0, 0, null); // nothing to do: the archive is not even read
        }
        Chain chain = latest == null ? Chain.NONE : chain(documentId, latest);
        finishRemoval(documentId, chain, leftovers);
        if (cut < 0) {
            return new Result(leftovers.size(), 0, null);
        }
        List<LoggedDelta> range = before(fresh, cut + 1);
        RebuiltDocument end = RebuiltDocument.of(documentId, chain.end(), BatchEvents.records(documentId, range));
        endCheck.check(end, fresh.subList(range.size(), fresh.size()));
        ArchivedRange archived = new ArchivedRange(documentId, chain.toOffset() + 1, cut, end.state(), range);
        archive.store(archived);
        remove(documentId, range);
        return new Result(leftovers.size(), range.size(), archived.key());
    }

    private Chain chain(UUID documentId, String key) {
        ArchivedRange latest = archive.read(documentId, key);
        Set<String> events = latest.events().stream().map(Compaction::identity).collect(Collectors.toSet());
        return new Chain(latest.toOffset(), latest.end(), key, events);
    }

    /**
     * Removes events the latest archive covers: they are there only if a run was cut short between
     * writing the archive and removing them. One the archive lacks (written to the event log after
     * the archive was made) would be lost by removing it: the document is left alone instead.
     */
    private void finishRemoval(UUID documentId, Chain chain, List<LoggedDelta> leftovers) {
        List<LoggedDelta> missing = leftovers.stream()
                .filter(event -> !chain.events().contains(identity(event)))
                .toList();
        if (!missing.isEmpty()) {
            LoggedDelta first = missing.get(0);
            throw new CompactionException(
                    documentId,
                    missing.size() + " events in the event log at or before offset " + chain.toOffset()
                            + " are not in its latest archive " + chain.key() + ", the first "
                            + first.operationId() + " at offset " + first.kafkaOffset());
        }
        if (!leftovers.isEmpty()) {
            remove(documentId, leftovers);
        }
    }

    /**
     * The last offset of the longest run of whole records, from the first, created before {@code
     * archiveBefore} and at most {@link #MAX_EVENTS} events; -1 if the first record is too new.
     */
    static long cut(List<LoggedDelta> events, Instant archiveBefore) {
        long cut = -1;
        for (int at = 0; at < events.size(); ) {
            long offset = events.get(at).kafkaOffset();
            int next = at;
            while (next < events.size() && events.get(next).kafkaOffset() == offset) {
                if (!events.get(next).createdAt().isBefore(archiveBefore)) {
                    return cut;
                }
                next++;
            }
            if (next > MAX_EVENTS) {
                return cut;
            }
            cut = offset;
            at = next;
        }
        return cut;
    }

    /**
     * The range's end state, carried on through the events after it, must be the stored snapshot:
     * same version, same text. Otherwise the event log misses something, or holds something the
     * archives do not know of, and archiving would fix the wrong history.
     */
    private static void requireSnapshot(
            UUID documentId, RebuiltDocument end, List<LoggedDelta> after, StoredState snapshot) {
        RebuiltDocument carried = RebuiltDocument.of(documentId, end.state(), BatchEvents.records(documentId, after));
        String stored = RebuiltDocument.of(documentId, snapshot, List.of()).text();
        if (carried.version() != snapshot.snapshotVersion() || !carried.text().equals(stored)) {
            throw new CompactionException(
                    documentId,
                    "its archives and event log rebuild version " + carried.version() + " ("
                            + carried.text().length() + " characters) at offset " + snapshot.logOffset()
                            + ", but its stored snapshot there is version " + snapshot.snapshotVersion() + " ("
                            + stored.length() + " characters)");
        }
    }

    private void remove(UUID documentId, List<LoggedDelta> events) {
        // A lease that ended meanwhile may be another node's now: leave the removal to it.
        if (!lease.hold(documentId)) {
            throw new CompactionException(documentId, "its lease ended before its archived events were removed");
        }
        eventLog.delete(events);
    }

    /** The document's events up to {@code lastOffset}, in log order, whole records. */
    private List<LoggedDelta> eventsThrough(UUID documentId, long lastOffset) {
        return eventLog.replayRange(documentId, -1, lastOffset);
    }

    private static List<LoggedDelta> before(List<LoggedDelta> events, long offset) {
        return EventLog.before(events, offset);
    }

    private static String identity(LoggedDelta event) {
        return event.kafkaOffset() + "\n" + event.operationId();
    }
}
