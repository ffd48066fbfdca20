package dev.folio.tools;

import dev.folio.lseq.LseqParameters;
import dev.folio.trace.EditingTrace;
import dev.folio.trace.TraceReplay;
import jakarta.json.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;

/**
 * {@code server-config/bin/replay-trace FILE...}: replays editing traces through the LSEQ core and
 * prints one JSON line per file. Exits 1 if any replay does not end in the trace's text, 2 on a
 * file it cannot read.
 */
public final class ReplayTraceCommand {

    private ReplayTraceCommand() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out));
    }

    /** Replays every file, printing a line each; returns the exit status. */
    static int run(String[] args, PrintStream out) {
        if (args.length == 0) {
            System.err.println("usage: replay-trace FILE...   (editing-traces JSON, gzipped or plain)");
            return 2;
        }
        int status = 0;
        for (String file : args) {
            try {
                TraceReplay.Report report = TraceReplay.run(EditingTrace.read(Path.of(file)), LseqParameters.DEFAULT);
                out.println(toJson(report));
                if (!report.matches() || !report.remoteMatches()) {
                    status = Math.max(status, 1);
                }
            } catch (IOException | RuntimeException e) {
                out.println(Json.createObjectBuilder()
                        .add("trace", Path.of(file).getFileName().toString())
                        .add("matches", false)
                        .add("error", String.valueOf(e.getMessage()))
                        .build());
                status = 2;
            }
        }
        return status;
    }

    private static String toJson(TraceReplay.Report report) {
        return Json.createObjectBuilder()
                .add("trace", report.trace())
                .add("operations", report.operations())
                .add("matches", report.matches())
                .add("remoteMatches", report.remoteMatches())
                .add("millis", round(report.millis()))
                .add("remoteMillis", round(report.remoteMillis()))
                .add("meanIdBytes", round(report.meanIdBytes()))
                .add("maxIdBytes", report.maxIdBytes())
                .add("meanDepth", round(report.meanDepth()))
                .add("maxDepth", report.maxDepth())
                .add("meanDigitBits", round(report.meanDigitBits()))
                .add("snapshotBytes", report.snapshotBytes())
                .build()
                .toString();
    }

    private static double round(double value) {
        return Double.parseDouble(String.format(Locale.ROOT, "%.2f", value));
    }
}
