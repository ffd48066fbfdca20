package dev.folio.lseq.bench;

import dev.folio.lseq.Delta;
import dev.folio.lseq.LseqParameters;
import dev.folio.lseq.Replica;
import dev.folio.trace.EditingTrace;
import dev.folio.trace.TraceReplay;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Time to replay a whole editing trace: as local edits by index on one replica, and as the
 * resulting remote deltas (one per patch) on a second. Run by server-config/bin/benchmark-core.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 5)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xmx2g"})
public class TraceReplayBenchmark {

    @Param("automerge-paper.json.gz")
    public String trace;

    private EditingTrace editingTrace;
    private List<Delta> deltas;

    @Setup
    public void load() throws IOException {
        editingTrace = EditingTrace.read(Path.of(System.getProperty("folio.traces", "server-config/traces"), trace));
        deltas = TraceReplay.replayLocally(editingTrace, new Replica(1, 0, LseqParameters.DEFAULT));
    }

    @Benchmark
    public Replica applyLocally() {
        Replica replica = new Replica(1, 0, LseqParameters.DEFAULT);
        TraceReplay.replayLocally(editingTrace, replica);
        return replica;
    }

    @Benchmark
    public Replica applyRemotely() {
        Replica replica = new Replica(2, 0, LseqParameters.DEFAULT);
        TraceReplay.applyRemotely(deltas, replica);
        return replica;
    }
}
