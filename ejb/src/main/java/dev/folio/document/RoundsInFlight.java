package dev.folio.document;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;

/**
 * The group commit's rounds that a document published and that are not back from the log yet,
 * oldest first, each as the keys of the deltas in it that someone waits for. The next round goes
 * only while fewer than {@code limit} are on their way: the bridge forwards a document's messages
 * one at a time, so rounds published much faster than it forwards would only queue in the broker,
 * one or two deltas each, while a round that waits takes everything accepted meanwhile (issue 13).
 * Not thread-safe: {@link LiveDocument}'s lock covers it.
 */
final class RoundsInFlight {

    private record Round(Set<String> awaited, long publishedNanos) {}

    private final int limit;
    private final ArrayDeque<Round> rounds = new ArrayDeque<>();

    RoundsInFlight(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("at least one round must be allowed on its way, not " + limit);
        }
        this.limit = limit;
    }

    /** Whether the next round must wait. */
    boolean full() {
        return rounds.size() >= limit;
    }

    /** A round was published; one holding nothing anyone waits for is not waited for. */
    void published(Set<String> awaited, long nowNanos) {
        if (!awaited.isEmpty()) {
            rounds.addLast(new Round(new HashSet<>(awaited), nowNanos));
        }
    }

    /** A delta is back from the log (or will never be): a round with nothing left is back. */
    void arrived(String key) {
        rounds.removeIf(round -> round.awaited.remove(key) && round.awaited.isEmpty());
    }

    /** Whether the oldest round has been on its way for {@code patienceNanos} or longer. */
    boolean overdue(long nowNanos, long patienceNanos) {
        Round oldest = rounds.peekFirst();
        return oldest != null && nowNanos - oldest.publishedNanos >= patienceNanos;
    }

    /** Waits for none of them any more. */
    void clear() {
        rounds.clear();
    }
}
