package dev.folio.lseq.trace;

import dev.folio.lseq.LseqParameters;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ParameterSweepProbe {
    @Test
    void sweep() throws Exception {
        for (String f : new String[] {"automerge-paper.json.gz", "sveltecomponent.json.gz", "friendsforever_flat.json.gz"}) {
            EditingTrace trace = EditingTrace.read(TraceReplayTest.TRACES.resolve(f));
            for (int b0 : new int[] {4, 5, 6, 8, 10, 12}) {
                for (int boundary : new int[] {4, 10, 32}) {
                    for (int seed : new int[] {0x4C534551, 1, 2}) {
                        var r = TraceReplay.run(trace, new LseqParameters(b0, boundary, seed));
                        System.out.printf("%s b0=%d boundary=%d seed=%d depth=%.1f max=%d bits=%.0f bytes=%.1f snap=%d%n",
                                f.substring(0, 8), b0, boundary, seed, r.meanDepth(), r.maxDepth(), r.meanDigitBits(), r.meanIdBytes(), r.snapshotBytes());
                    }
                }
            }
        }
    }
}
