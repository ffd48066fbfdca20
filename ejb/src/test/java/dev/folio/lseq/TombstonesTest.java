package dev.folio.lseq;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The deleted-insert memory: exact membership through growth and forgetting, in recording order. */
class TombstonesTest {

    final Tombstones cut = new Tombstones();

    @Test
    void remembersExactlyWhatIsNotYetForgotten() {
        Random random = new Random(3);
        List<Identifier> recorded = new ArrayList<>();
        for (int round = 0; round < 5; round++) {
            for (int i = 0; i < 4_000; i++) {
                // Few sites, clustered counters: the keys a real document produces, collisions included.
                // The digit does not matter: an insert is named by its (site, counter).
                Identifier id = Identifier.of(7, random.nextInt(4), random.nextInt(60_000));
                if (cut.add(id)) {
                    recorded.add(id);
                } else {
                    assertTrue(recorded.contains(id));
                }
            }
            long mark = cut.nextMark() - recorded.size() / 2 - round;
            int forgotten = cut.forgetBefore(mark);
            List<Identifier> dropped = recorded.subList(0, forgotten);
            dropped.forEach(id -> assertFalse(cut.contains(id), "forgotten " + id));
            dropped.clear();
            recorded.forEach(id -> assertTrue(cut.contains(id), "remembered " + id));
            assertEquals(recorded.size(), cut.size());
            assertArrayEquals(recorded.stream().mapToLong(Tombstones::key).toArray(), cut.keysInRecordingOrder());
        }
    }

    @Test
    void forgettingBeyondWhatIsRecordedStopsAtTheEnd() {
        cut.add(Identifier.of(1, 1, 1));
        assertEquals(1, cut.forgetBefore(100));
        assertEquals(0, cut.forgetBefore(100));
        assertEquals(1, cut.nextMark());
        cut.add(Identifier.of(1, 1, 2));
        assertEquals(0, cut.forgetBefore(Long.MIN_VALUE), "a mark from before everything forgets nothing");
        assertEquals(1, cut.size());
    }
}
