package dev.folio.document.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.folio.access.DocumentRole;
import dev.folio.lseq.Replica;
import org.junit.jupiter.api.Test;

/** What a joined session's delta must pass before the document manager sees it. */
class DeltaAdmissionTest {

    private static final long NOW = 0;

    /** At most 3 operations a delta, 2 deltas a second. */
    private final DeltaAdmission cut = new DeltaAdmission(3, 2);

    @Test
    void anEditorsDeltaWithinTheLimitsIsAdmitted() {
        assertTrue(cut.admit(DocumentRole.EDITOR, delta("1-0", "abc"), rate(), NOW));
        assertTrue(cut.admit(DocumentRole.OWNER, delta("1-1", "a"), rate(), NOW));
    }

    @Test
    void aViewersDeltaIsRefusedAloneAndCostsNoRate() {
        TokenBucket rate = new TokenBucket(2, 1, NOW);
        ProtocolException refused = assertThrows(
                ProtocolException.class, () -> cut.admit(DocumentRole.VIEWER, delta("1-0", "a"), rate, NOW));
        assertEquals("read-only", refused.code);
        assertEquals("1-0", refused.opId);
        assertTrue(rate.tryTake(NOW), "the refused delta took nothing from the rate");
    }

    @Test
    void aDeltaOfMoreOperationsThanTheLimitIsRefusedWithTheLimitInItsMessage() {
        ProtocolException refused = assertThrows(
                ProtocolException.class, () -> cut.admit(DocumentRole.EDITOR, delta("1-0", "abcd"), rate(), NOW));
        assertEquals("too-many-operations", refused.code);
        assertEquals("a delta has at most 3 operations; send several", refused.getMessage());
        assertEquals("1-0", refused.opId);
    }

    @Test
    void deltasFasterThanTheRateAreNotAdmitted() {
        TokenBucket rate = new TokenBucket(2, 2, NOW);
        assertTrue(cut.admit(DocumentRole.EDITOR, delta("1-0", "a"), rate, NOW));
        assertTrue(cut.admit(DocumentRole.EDITOR, delta("1-1", "b"), rate, NOW));
        assertFalse(cut.admit(DocumentRole.EDITOR, delta("1-2", "c"), rate, NOW));
        assertTrue(cut.admit(DocumentRole.EDITOR, delta("1-2", "c"), rate, NOW + 500_000_000L), "half a second on");
        assertEquals("more than 2 deltas a second", cut.rateRule());
    }

    private static TokenBucket rate() {
        return new TokenBucket(100, 100, NOW);
    }

    /** A delta inserting {@code text}: one operation per character. */
    private static ClientFrame.DeltaFrame delta(String opId, String text) {
        return new ClientFrame.DeltaFrame(opId, new Replica(1).insert(0, text));
    }
}
