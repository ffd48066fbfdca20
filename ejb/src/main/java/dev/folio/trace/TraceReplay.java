package dev.folio.trace;

import dev.folio.lseq.BinaryDeltaCodec;
import dev.folio.lseq.Delta;
import dev.folio.lseq.Identifier;
import dev.folio.lseq.LseqParameters;
import dev.folio.lseq.Replica;
import dev.folio.lseq.SnapshotCodec;
import java.util.ArrayList;
import java.util.List;

/**
 * Replays an {@link EditingTrace} into one replica as local edits, then applies the deltas that
 * produced to a second replica as remote operations, and measures both.
 */
public final class TraceReplay {

    private TraceReplay() {}

    /** What a replay produced and measured; {@code millis} are wall-clock times of one run. */
    public record Report(
            String trace,
            long operations,
            boolean matches,
            boolean remoteMatches,
            double millis,
            double remoteMillis,
            double meanIdBytes,
            int maxIdBytes,
            double meanDepth,
            int maxDepth,
            double meanDigitBits,
            int snapshotBytes) {}

    /** Applies every patch as local edits; returns the deltas, one per patch. */
    public static List<Delta> replayLocally(EditingTrace trace, Replica replica) {
        List<Delta> deltas = new ArrayList<>(trace.patches().size() + 1);
        if (!trace.startContent().isEmpty()) {
            deltas.add(replica.insert(0, trace.startContent()));
        }
        for (EditingTrace.Patch patch : trace.patches()) {
            if (patch.deleteCount() > 0) {
                deltas.add(replica.delete(patch.position(), patch.deleteCount()));
            }
            if (!patch.inserted().isEmpty()) {
                deltas.add(replica.insert(patch.position(), patch.inserted()));
            }
        }
        return deltas;
    }

    public static void applyRemotely(List<Delta> deltas, Replica replica) {
        for (Delta delta : deltas) {
            replica.apply(delta);
        }
    }

    public static Report run(EditingTrace trace, LseqParameters parameters) {
        Replica local = new Replica(1, 0, parameters);
        long start = System.nanoTime();
        List<Delta> deltas = replayLocally(trace, local);
        double millis = (System.nanoTime() - start) / 1e6;

        Replica remote = new Replica(2, 0, parameters);
        start = System.nanoTime();
        applyRemotely(deltas, remote);
        double remoteMillis = (System.nanoTime() - start) / 1e6;

        String text = local.text();
        IdentifierStatistics ids = IdentifierStatistics.of(local.identifiers(), parameters);
        return new Report(
                trace.name(),
                trace.operationCount(),
                text.equals(trace.endContent()),
                remote.text().equals(trace.endContent()) && remote.identifiers().equals(local.identifiers()),
                millis,
                remoteMillis,
                ids.meanBytes(),
                ids.maxBytes(),
                ids.meanDepth(),
                ids.maxDepth(),
                ids.meanDigitBits(),
                SnapshotCodec.encode(local).length);
    }

    /** Sizes of a set of identifiers: bytes in the binary encoding, levels, and bits of digits. */
    public record IdentifierStatistics(
            double meanBytes, int maxBytes, double meanDepth, int maxDepth, double meanDigitBits) {

        public static IdentifierStatistics of(List<Identifier> ids, LseqParameters parameters) {
            long bytes = 0;
            long levels = 0;
            long digitBits = 0;
            int maxBytes = 0;
            int maxDepth = 0;
            for (Identifier id : ids) {
                int size = BinaryDeltaCodec.identifierSize(id);
                bytes += size;
                maxBytes = Math.max(maxBytes, size);
                levels += id.depth();
                maxDepth = Math.max(maxDepth, id.depth());
                for (int level = 0; level < id.depth(); level++) {
                    digitBits += parameters.baseBits(level);
                }
            }
            double n = Math.max(1, ids.size());
            return new IdentifierStatistics(bytes / n, maxBytes, levels / n, maxDepth, digitBits / n);
        }
    }
}
