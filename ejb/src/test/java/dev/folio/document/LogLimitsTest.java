package dev.folio.document;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.folio.lseq.BinaryDeltaCodec;
import dev.folio.lseq.Delta;
import dev.folio.lseq.Identifier;
import dev.folio.lseq.LseqParameters;
import dev.folio.lseq.Operation;
import dev.folio.lseq.Operation.Delete;
import dev.folio.lseq.Operation.Insert;
import dev.folio.lseq.Replica;
import dev.folio.lseq.SnapshotCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LogLimitsTest {

    @Test
    void theLimitsAreTheStoresLessTheirAllowances() {
        assertEquals(384 * 1024, LogLimits.MAX_DELTA_JSON_BYTES);
        assertTrue(LogLimits.MAX_DELTA_JSON_BYTES + LogLimits.EVENT_ITEM_ALLOWANCE_BYTES
                <= LogLimits.DYNAMODB_MAX_ITEM_BYTES);
        assertTrue(LogLimits.MAX_RECORD_BYTES < LogLimits.KAFKA_MAX_RECORD_BYTES);
    }

    /** The bound decides alone whenever it is within the limit, so it must never be below the JSON. */
    @Test
    void theBoundIsNeverBelowTheJsonAndCloseToItAndTheBinaryFormIsSmaller() {
        List<Delta> deltas = new ArrayList<>();
        Replica typed = new Replica(1);
        deltas.add(typed.insert(0, "plain text, \"quoted\" and \\ back\tslashed\n"));
        deltas.add(typed.insert(3, "é€😀\u0000\u001f\u007f\u2028"));
        deltas.add(typed.delete(2, 10));
        Random random = new Random(3);
        List<Operation> everywhere = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            everywhere.addAll(
                    typed.insert(random.nextInt(typed.length() + 1), "x").operations());
        }
        deltas.add(new Delta(everywhere));
        deltas.add(Delta.of(new Insert(extreme(256), 0x10FFFF), new Delete(extreme(256)), new Insert(extreme(1), 0)));

        for (Delta delta : deltas) {
            long bound = LogLimits.jsonBytesAtMost(delta);
            int json = LogLimits.jsonBytes(delta);
            assertTrue(bound >= json, bound + " < " + json + " for " + delta);
            assertTrue(bound <= json * 1.1 + 20, bound + " is far above " + json);
            // So a delta the event log takes always fits a log record on its own.
            int binary = BinaryDeltaCodec.encode(delta).length;
            assertTrue(binary < json, binary + " bytes in binary, " + json + " as JSON");
        }
    }

    /** An identifier of {@code depth} levels with the largest digits, sites and counters. */
    static Identifier extreme(int depth) {
        int[] triples = new int[3 * depth];
        for (int level = 0; level < depth; level++) {
            triples[3 * level] = LseqParameters.DEFAULT.base(level) - 1;
            triples[3 * level + 1] = Integer.MAX_VALUE;
            triples[3 * level + 2] = Integer.MAX_VALUE;
        }
        return Identifier.of(triples);
    }

    /** Issue 14, finding 6: a snapshot is checked against what the store keeps and decode accepts. */
    @Test
    void aSnapshotNearItsLimitsStopsEditsAndOneOverThemIsNeverStored() {
        Replica replica = new Replica(1);
        replica.insert(0, "x".repeat(10_000));
        byte[] snapshot = SnapshotCodec.encode(replica);
        int body = SnapshotCodec.bodyLength(snapshot);
        assertTrue(body > snapshot.length, "the body is deflated");

        assertFalse(LogLimits.snapshotNearLimit(snapshot, 2L * snapshot.length, 2L * body));
        assertTrue(LogLimits.snapshotNearLimit(snapshot, snapshot.length + 1, 2L * body), "near the stored limit");
        assertTrue(LogLimits.snapshotNearLimit(snapshot, 2L * snapshot.length, body + 1), "near the body limit");
        assertTrue(LogLimits.snapshotStorable(snapshot));
        assertFalse(LogLimits.snapshotNearLimit(snapshot), "a small document is far from the real limits");
    }
}
