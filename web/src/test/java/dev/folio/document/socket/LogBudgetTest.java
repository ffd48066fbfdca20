package dev.folio.document.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LogBudgetTest {

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    @Test
    void linesPastTheBudgetAreHeldBackAndCountedInTheNextLineWritten() {
        LogBudget budget = new LogBudget(3, Duration.ofMinutes(1), 0);
        for (int i = 0; i < 3; i++) {
            assertEquals(0, budget.take(i * SECOND), "line " + i + " is within the budget");
        }
        for (int i = 0; i < 1000; i++) {
            assertEquals(LogBudget.HELD_BACK, budget.take(10 * SECOND));
        }
        assertEquals(1000, budget.take(60 * SECOND), "the next window's first line tells how many were held back");
        assertEquals(0, budget.take(61 * SECOND));
    }

    @Test
    void aQuietLogWritesEveryLine() {
        LogBudget budget = new LogBudget(2, Duration.ofSeconds(1), 0);
        for (int i = 0; i < 100; i++) {
            assertEquals(0, budget.take(i * SECOND));
        }
    }
}
