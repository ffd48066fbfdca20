package dev.folio.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.folio.lseq.Delta;
import dev.folio.lseq.Operation;
import dev.folio.lseq.Replica;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RestoreEditsTest {

    /** The server's replica (site 0) and a client's: the edits, applied elsewhere, give the past text. */
    private static void assertRestores(String now, String past) {
        Replica live = new Replica(9);
        Delta typed = live.insert(0, now);
        Replica restorer = new Replica(12);
        restorer.apply(typed);
        Replica elsewhere = new Replica(0);
        elsewhere.apply(typed);

        RestoreEdits.Edits edits = RestoreEdits.between(restorer, past);

        assertEquals(past, restorer.text());
        edits.deletes().forEach(elsewhere::apply);
        edits.inserts().forEach(elsewhere::apply);
        assertEquals(past, elsewhere.text(), () -> now + " -> " + past);
        for (Delta delta : edits.deletes()) {
            assertTrue(delta.operations().stream().noneMatch(Operation.Insert.class::isInstance));
        }
        for (Delta delta : edits.inserts()) {
            assertTrue(delta.operations().stream().allMatch(Operation.Insert.class::isInstance));
        }
    }

    @Test
    void onlyTheRangeThatDiffersIsReplaced() {
        Replica restorer = new Replica(12);
        restorer.apply(new Replica(9).insert(0, "Dear Ann, thanks."));
        RestoreEdits.Edits edits = RestoreEdits.between(restorer, "Dear Bob, thanks.");
        assertEquals(3, edits.deletes().get(0).size(), "\"Ann\"");
        assertEquals(3, edits.inserts().get(0).size(), "\"Bob\"");
    }

    @Test
    void anyTextBecomesAnyOther() {
        assertRestores("", "");
        assertRestores("same", "same");
        assertRestores("", "new text");
        assertRestores("old text", "");
        assertRestores("abcabc", "abc");
        assertRestores("abc", "abcabc");
        assertRestores("😀 smile 😀", "😀 frown 😀");
        assertRestores("a😀b", "a😁b"); // same high surrogate: the range is whole code points
        Random random = new Random(15);
        for (int i = 0; i < 200; i++) {
            assertRestores(randomText(random), randomText(random));
        }
    }

    @Test
    void largeRestoresAreCutIntoDeltasTheLogTakes() {
        String large = "x".repeat(2_500);
        Replica restorer = new Replica(12);
        restorer.apply(new Replica(9).insert(0, "y".repeat(1_200)));
        RestoreEdits.Edits edits = RestoreEdits.between(restorer, large);
        assertEquals(
                List.of(1_000, 200), edits.deletes().stream().map(Delta::size).toList());
        assertEquals(
                List.of(1_000, 1_000, 500),
                edits.inserts().stream().map(Delta::size).toList());
    }

    private static String randomText(Random random) {
        StringBuilder text = new StringBuilder();
        for (int i = random.nextInt(12); i > 0; i--) {
            text.append(List.of("a", "b", "😀", "\n").get(random.nextInt(4)));
        }
        return text.toString();
    }
}
