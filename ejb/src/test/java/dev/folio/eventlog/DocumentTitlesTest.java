package dev.folio.eventlog;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.folio.document.DocumentSummary;
import dev.folio.eventlog.DocumentTitles.TitleAndAuthor;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class DocumentTitlesTest {

    private final Map<UUID, Integer> lookUps = new HashMap<>();
    private final Map<UUID, String> titles = new HashMap<>();
    private final AtomicLong now = new AtomicLong();
    private final UUID author = UUID.randomUUID();

    private final DocumentTitles cut = new DocumentTitles(
            id -> {
                lookUps.merge(id, 1, Integer::sum);
                return Optional.ofNullable(titles.get(id))
                        .map(title -> new DocumentSummary(id, title, author, 0, LocalDateTime.MIN, LocalDateTime.MIN));
            },
            2,
            Duration.ofSeconds(60),
            now::get);

    @Test
    void aDocumentIsLookedUpOnceWhileItIsRecent() {
        UUID id = UUID.randomUUID();
        titles.put(id, "Notes");
        assertEquals(new TitleAndAuthor("Notes", author), cut.of(id));
        assertEquals(new TitleAndAuthor("Notes", author), cut.of(id));
        assertEquals(1, lookUps.get(id));
        now.addAndGet(Duration.ofSeconds(61).toNanos());
        titles.put(id, "Renamed");
        assertEquals("Renamed", cut.of(id).title());
        assertEquals(2, lookUps.get(id));
    }

    @Test
    void anUnknownDocumentHasAnEmptyTitleAndNoAuthor() {
        assertEquals(new TitleAndAuthor("", null), cut.of(UUID.randomUUID()));
    }

    @Test
    void theLeastRecentlyUsedGoesFirst() {
        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();
        UUID third = UUID.randomUUID();
        cut.of(first);
        cut.of(second);
        cut.of(first);
        cut.of(third); // second goes
        cut.of(first);
        cut.of(second);
        assertEquals(1, lookUps.get(first));
        assertEquals(2, lookUps.get(second));
    }
}
