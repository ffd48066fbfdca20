package dev.folio.lseq.bench;

import dev.folio.lseq.LseqParameters;
import dev.folio.lseq.Replica;
import dev.folio.lseq.SnapshotCodec;
import dev.folio.trace.EditingTrace;
import dev.folio.trace.TraceReplay;
import java.nio.file.Path;
import java.util.Locale;
import org.openjdk.jol.info.GraphLayout;

/**
 * Sizes that JMH does not measure: identifier sizes, the snapshot, and the heap a replica retains
 * after a whole trace (every object reachable from it, counted by JOL). Prints one JSON line per
 * trace. Run by server-config/bin/benchmark-core.
 */
public final class TraceFootprint {

    public static void main(String[] args) throws Exception {
        for (String file : args) {
            EditingTrace trace = EditingTrace.read(Path.of(file));
            Replica replica = new Replica(1, 0, LseqParameters.DEFAULT);
            TraceReplay.replayLocally(trace, replica);
            var ids = TraceReplay.IdentifierStatistics.of(replica.identifiers(), LseqParameters.DEFAULT);
            long heap = GraphLayout.parseInstance(replica).totalSize();
            int length = replica.length();
            System.out.printf(
                    Locale.ROOT,
                    "{\"impl\":\"folio-lseq\",\"trace\":\"%s\",\"finalLength\":%d,\"meanIdBytes\":%.2f,\"maxIdBytes\":%d,"
                            + "\"meanDepth\":%.2f,\"maxDepth\":%d,\"meanDigitBits\":%.1f,\"snapshotBytes\":%d,"
                            + "\"rememberedDeletes\":%d,\"heapBytes\":%d,\"heapBytesPerChar\":%.1f}%n",
                    trace.name(),
                    length,
                    ids.meanBytes(),
                    ids.maxBytes(),
                    ids.meanDepth(),
                    ids.maxDepth(),
                    ids.meanDigitBits(),
                    SnapshotCodec.encode(replica).length,
                    replica.tombstoneCount(),
                    heap,
                    heap / (double) length);
        }
    }
}
