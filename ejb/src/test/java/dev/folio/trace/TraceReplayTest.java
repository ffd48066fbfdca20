package dev.folio.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.folio.lseq.Delta;
import dev.folio.lseq.LseqParameters;
import dev.folio.lseq.Replica;
import dev.folio.lseq.SnapshotCodec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Real editing histories, replayed locally and remotely, end in exactly the recorded text. */
class TraceReplayTest {

    static final Path TRACES = Path.of(System.getProperty("folio.traces", "../server-config/traces"));

    @ParameterizedTest
    @ValueSource(strings = {"automerge-paper.json.gz", "sveltecomponent.json.gz", "friendsforever_flat.json.gz"})
    void replayEndsInTheRecordedTextOnEveryReplica(String file) throws IOException {
        EditingTrace trace = EditingTrace.read(TRACES.resolve(file));
        Replica cut = new Replica(1, 0, LseqParameters.DEFAULT);

        List<Delta> deltas = TraceReplay.replayLocally(trace, cut);
        assertEquals(trace.endContent(), cut.text());

        Replica remote = new Replica(2, 0, LseqParameters.DEFAULT);
        TraceReplay.applyRemotely(deltas, remote);
        assertEquals(trace.endContent(), remote.text());
        assertEquals(cut.identifiers(), remote.identifiers());

        Replica restored = SnapshotCodec.decode(SnapshotCodec.encode(cut), 3, 0);
        assertEquals(trace.endContent(), restored.text());
        assertEquals(cut.identifiers(), restored.identifiers());
        assertEquals(cut.tombstoneCount(), restored.tombstoneCount());
    }

    @ParameterizedTest
    @ValueSource(strings = {"automerge-paper.json.gz", "sveltecomponent.json.gz", "friendsforever_flat.json.gz"})
    void reportCountsEveryOperation(String file) throws IOException {
        EditingTrace trace = EditingTrace.read(TRACES.resolve(file));
        TraceReplay.Report report = TraceReplay.run(trace, LseqParameters.DEFAULT);
        System.out.println(report);
        assertTrue(report.matches() && report.remoteMatches(), report.toString());
        assertTrue(report.maxDepth() <= LseqParameters.MAX_DEPTH);
    }
}
