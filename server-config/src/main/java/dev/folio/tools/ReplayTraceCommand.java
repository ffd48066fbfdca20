package dev.folio.tools;

import dev.folio.lseq.LseqParameters;
import dev.folio.lseq.trace.EditingTrace;
import dev.folio.lseq.trace.TraceReplay;
import jakarta.json.Json;
import java.io.IOException;
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
        if (args.length == 0) {
            System.err.println("usage: replay-trace FILE...   (editing-traces JSON, gzipped or plain)");
            System.exit(2);
        }
        boolean allMatch = true;
        for (String file : args) {
            try {
                TraceReplay.Report report = TraceReplay.run(EditingTrace.read(Path.of(file)), LseqParameters.DEFAULT);
                System.out.println(toJson(report));
                allMatch &= report.matches() && report.remoteMatches();
            } catch (IOException | RuntimeException e) {
                System.out.println(Json.createObjectBuilder()
                        .add("trace", Path.of(file).getFileName().toString())
                        .add("matches", false)
                        .add("error", String.valueOf(e.getMessage()))
                        .build());
                System.exit(2);
            }
        }
        System.exit(allMatch ? 0 : 1);
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
