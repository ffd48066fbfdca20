package dev.folio.document.socket;

import java.time.Duration;

/**
 * At most so many log lines a window of time: what a client can make the server log must not grow
 * the log at the client's pace (issue 19: refused deltas grew a node's log to 38 MB). Lines past
 * the budget are held back and counted; the first line of the next window says how many.
 */
final class LogBudget {

    /** Returned by {@link #take} when the line is held back. */
    static final long HELD_BACK = -1;

    private final int linesPerWindow;
    private final long windowNanos;
    private long windowStart;
    private int written;
    private long heldBack;

    LogBudget(int linesPerWindow, Duration window, long nowNanos) {
        if (linesPerWindow <= 0 || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("a log budget has lines and a window");
        }
        this.linesPerWindow = linesPerWindow;
        this.windowNanos = window.toNanos();
        this.windowStart = nowNanos;
    }

    /**
     * Takes a line: {@link #HELD_BACK} if the window's budget is spent, otherwise how many lines were
     * held back since the last line written (to be said in this one).
     */
    synchronized long take(long nowNanos) {
        if (nowNanos - windowStart >= windowNanos) {
            windowStart = nowNanos;
            written = 0;
        }
        if (written >= linesPerWindow) {
            heldBack++;
            return HELD_BACK;
        }
        written++;
        long held = heldBack;
        heldBack = 0;
        return held;
    }
}
