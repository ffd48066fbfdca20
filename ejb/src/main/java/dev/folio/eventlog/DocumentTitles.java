package dev.folio.eventlog;

import dev.folio.document.DocumentSummary;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * The titles and authors of the documents whose deltas were logged lately, so that writing a busy
 * document's events does not ask the database each time. Bounded (least recently used go first)
 * and short-lived, since a title may change. Not thread-safe: one writer thread uses it.
 */
final class DocumentTitles {

    /** What an event records of its document; a deleted or unknown one has an empty title. */
    record TitleAndAuthor(String title, UUID authorId) {
        static final TitleAndAuthor UNKNOWN = new TitleAndAuthor("", null);
    }

    private record Entry(TitleAndAuthor value, long loadedAt) {}

    private final Function<UUID, Optional<DocumentSummary>> lookUp;
    private final int capacity;
    private final long maxAgeNanos;
    private final LongSupplier clock;
    private final Map<UUID, Entry> recent;

    DocumentTitles(
            Function<UUID, Optional<DocumentSummary>> lookUp, int capacity, Duration maxAge, LongSupplier clock) {
        this.lookUp = lookUp;
        this.capacity = capacity;
        this.maxAgeNanos = maxAge.toNanos();
        this.clock = clock;
        this.recent = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<UUID, Entry> eldest) {
                return size() > DocumentTitles.this.capacity;
            }
        };
    }

    DocumentTitles(Function<UUID, Optional<DocumentSummary>> lookUp) {
        this(lookUp, 1_024, Duration.ofMinutes(5), System::nanoTime);
    }

    /** @throws RuntimeException if the document had to be looked up and the store failed */
    TitleAndAuthor of(UUID documentId) {
        long now = clock.getAsLong();
        Entry entry = recent.get(documentId);
        if (entry == null || now - entry.loadedAt() > maxAgeNanos) {
            TitleAndAuthor found = lookUp.apply(documentId)
                    .map(summary ->
                            new TitleAndAuthor(summary.title() == null ? "" : summary.title(), summary.authorId()))
                    .orElse(TitleAndAuthor.UNKNOWN);
            entry = new Entry(found, now);
            recent.put(documentId, entry);
        }
        return entry.value();
    }

    void forget(UUID documentId) {
        recent.remove(documentId);
    }
}
