package dev.folio.system;

import dev.folio.archive.ArchivedRange;
import dev.folio.archive.Compaction;
import dev.folio.archive.DynamoDbCompactionLease;
import dev.folio.archive.S3EventArchive;
import dev.folio.document.LoggedBatch;
import dev.folio.document.RebuiltDocument;
import dev.folio.document.StoredState;
import dev.folio.document.SubmittedDelta;
import dev.folio.eventlog.BatchEvents;
import dev.folio.eventlog.DynamoDbEventLog;
import dev.folio.eventlog.LoggedDelta;
import dev.folio.history.DocumentHistory;
import dev.folio.history.PastPoint;
import dev.folio.history.PastText;
import dev.folio.lseq.Delta;
import dev.folio.lseq.Replica;
import dev.folio.lseq.SnapshotCodec;
import dev.folio.trace.EditingTrace;
import dev.folio.trace.TraceReplay;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Benchmark of the event archive (issue 15): an editing trace turned into the events Folio stores,
 * written to DynamoDB Local by the real {@link DynamoDbEventLog}, compacted into S3Proxy by the real
 * {@link Compaction} against a snapshot made by {@link SnapshotCodec}, and the document's text
 * rebuilt from the archives and the events after the cut by the real {@link DocumentHistory} (the
 * code behind past text, restore and disaster recovery). Prints JSON lines, then a Markdown table.
 *
 * <p>Each delta of the trace (one per patch, as {@link TraceReplay#replayLocally} makes them: a
 * person's keystroke, or a paste) is one log record, as a client typing at human speed gets: the
 * node's group commit only puts several deltas in one record under load. The rebuilt text must be
 * the trace's final text, or it fails.
 *
 * <p>Not a test: timings are never pass/fail. {@code server-config/bin/benchmark-archive} starts
 * DynamoDB Local and S3Proxy and runs it. System properties: {@code folio.bench.trace} (the trace
 * file), {@code folio.bench.patches} (use only the first N patches; 0: all), {@code
 * folio.bench.after-cut} (deltas left after the snapshot, in DynamoDB), {@code folio.bench.dynamodb}
 * and {@code folio.bench.s3} (endpoints), {@code folio.bench.out} (folder for summary.md).
 */
public final class ArchiveBenchmark {

    private static final String TABLE = DynamoDbEventLog.DEFAULT_TABLE;
    private static final String BUCKET = "folio-archive";

    /** Records per {@link DynamoDbEventLog#write} call: what the event-log writer takes in one poll. */
    private static final int RECORDS_PER_WRITE = 200;

    private static final Map<String, String> STEPS = Map.of(
            "rebuild-from-dynamodb", "rebuild the latest text from DynamoDB alone (before compaction)",
            "rebuild-from-archive", "rebuild the latest text from S3 + DynamoDB after the cut (recovery)",
            "past-text-at-last-version", "past text at the last version (history REST call)");

    private final List<JsonObject> results = new ArrayList<>();

    public static void main(String[] args) throws IOException {
        new ArchiveBenchmark().run();
    }

    private void run() throws IOException {
        Path tracePath = Path.of(System.getProperty("folio.bench.trace"));
        int patchLimit = Integer.getInteger("folio.bench.patches", 0);
        int afterCut = Integer.getInteger("folio.bench.after-cut", 1_000);
        EditingTrace full = EditingTrace.read(tracePath);
        EditingTrace trace = patchLimit > 0 && patchLimit < full.patches().size()
                ? new EditingTrace(
                        full.name(), full.startContent(), "", full.patches().subList(0, patchLimit))
                : full;

        Replica local = new Replica(1);
        List<Delta> deltas = TraceReplay.replayLocally(trace, local);
        String finalText = local.text();
        if (trace == full && !finalText.equals(full.endContent())) {
            throw new IllegalStateException("the replayed trace does not end with the trace's final text");
        }
        UUID documentId = UUID.randomUUID();
        Instant at = Instant.now().minusSeconds(3_600);
        List<LoggedDelta> events = events(documentId, deltas, at);
        int cut = Math.max(0, deltas.size() - afterCut) - 1; // last offset the snapshot covers
        byte[] snapshot = snapshotThrough(deltas, cut);
        StoredState stored = new StoredState(snapshot, cut + 1, cut);
        String subject = trace.name() + (trace == full ? "" : " (first " + patchLimit + " patches)");
        System.err.println("# " + subject + ": " + trace.operationCount() + " operations, " + deltas.size()
                + " deltas, one record each; snapshot at offset " + cut + ", " + (deltas.size() - cut - 1)
                + " deltas after it");

        try (DynamoDbClient dynamo = dynamo();
                S3Client s3 = s3()) {
            DynamoDbEventLog eventLog = new DynamoDbEventLog(dynamo, TABLE);
            S3EventArchive archive = new S3EventArchive(s3, BUCKET);
            DocumentHistory history = new DocumentHistory(eventLog, archive, Clock.systemUTC());

            double writeSeconds = write(eventLog, events);
            System.err.println("# written in " + round(writeSeconds) + " s; measuring the items");
            long dynamoBytes = itemBytes(dynamo, documentId);
            // The index byDocument holds a copy of every item; DynamoDB adds 100 bytes per item and entry.
            long storedBytes = 2 * dynamoBytes + 200L * events.size();
            report(json("write", subject, trace, deltas.size())
                    .add("events", events.size())
                    .add("seconds", round(writeSeconds))
                    .add("eventsPerSecond", Math.round(events.size() / writeSeconds))
                    .add("dynamoItemBytes", dynamoBytes)
                    .add("dynamoBytesPerOperation", round((double) dynamoBytes / trace.operationCount()))
                    .add("dynamoStoredBytesWithIndex", storedBytes)
                    .add(
                            "dynamoStoredBytesWithIndexPerOperation",
                            round((double) storedBytes / trace.operationCount())));

            restore("rebuild-from-dynamodb", subject, trace, deltas.size(), history, documentId, finalText);

            var lease = new DynamoDbCompactionLease(
                    dynamo, TABLE, "archive-benchmark", Duration.ofMinutes(30), Clock.systemUTC());
            if (!lease.hold(documentId)) {
                throw new IllegalStateException("no compaction lease for " + documentId);
            }
            Compaction compaction = new Compaction(eventLog, archive, lease);
            long start = System.nanoTime();
            int archived = 0;
            int runs = 0;
            for (Compaction.Result result;
                    (result = compaction.compact(documentId, stored, Instant.now())).archived() > 0; ) {
                archived += result.archived();
                runs++;
            }
            double compactSeconds = (System.nanoTime() - start) / 1e9;
            lease.release(documentId);
            if (archived != cut + 1) {
                throw new IllegalStateException("compaction archived " + archived + " events, not " + (cut + 1));
            }
            List<S3Object> objects = s3
                    .listObjectsV2Paginator(list -> list.bucket(BUCKET).prefix(ArchivedRange.prefix(documentId)))
                    .contents()
                    .stream()
                    .toList();
            long archiveBytes = objects.stream().mapToLong(S3Object::size).sum();
            long leftBytes = itemBytes(dynamo, documentId);
            report(json("compact", subject, trace, deltas.size())
                    .add("runs", runs)
                    .add("archivedEvents", archived)
                    .add("seconds", round(compactSeconds))
                    .add("eventsPerSecond", Math.round(archived / compactSeconds))
                    .add("archiveObjects", objects.size())
                    .add("archiveBytes", archiveBytes)
                    .add(
                            "archiveBytesPerArchivedOperation",
                            round((double) archiveBytes / operationsThrough(deltas, cut)))
                    .add("dynamoItemBytesLeft", leftBytes)
                    .add("snapshotBytes", snapshot.length)
                    .add("snapshotBytesPerOperation", round((double) snapshot.length / trace.operationCount())));

            restore("rebuild-from-archive", subject, trace, deltas.size(), history, documentId, finalText);
            pastText(subject, trace, deltas.size(), history, documentId, finalText);
        }
        summary();
    }

    /** The deltas as log records of one delta each, encoded as the event-log writer encodes them. */
    private static List<LoggedDelta> events(UUID documentId, List<Delta> deltas, Instant at) {
        UUID owner = UUID.randomUUID();
        List<LoggedDelta> events = new ArrayList<>(deltas.size());
        for (int offset = 0; offset < deltas.size(); offset++) {
            SubmittedDelta delta = new SubmittedDelta("op-" + offset, 1, deltas.get(offset), "benchmark-user");
            LoggedBatch record = new LoggedBatch(documentId, offset, List.of(delta), false);
            events.addAll(BatchEvents.events(record, "automerge paper", owner, at.plusMillis(offset)));
        }
        return events;
    }

    /** The snapshot a node stores after the records up to {@code cut}: another replica that applied them. */
    private static byte[] snapshotThrough(List<Delta> deltas, int cut) {
        Replica replica = new Replica(2);
        TraceReplay.applyRemotely(deltas.subList(0, cut + 1), replica);
        return SnapshotCodec.encode(replica);
    }

    private static long operationsThrough(List<Delta> deltas, int cut) {
        return deltas.subList(0, cut + 1).stream().mapToLong(Delta::size).sum();
    }

    private static double write(DynamoDbEventLog eventLog, List<LoggedDelta> events) {
        long start = System.nanoTime();
        for (int from = 0; from < events.size(); from += RECORDS_PER_WRITE) {
            eventLog.write(events.subList(from, Math.min(events.size(), from + RECORDS_PER_WRITE)));
        }
        return (System.nanoTime() - start) / 1e9;
    }

    /** Rebuilds the latest text as disaster recovery does ({@link DocumentHistory#latest}). */
    private void restore(
            String step,
            String subject,
            EditingTrace trace,
            int deltas,
            DocumentHistory history,
            UUID id,
            String text) {
        long start = System.nanoTime();
        DocumentHistory.Latest latest = history.latest(id);
        String rebuilt = RebuiltDocument.of(id, latest.state(), List.of()).text();
        double seconds = (System.nanoTime() - start) / 1e9;
        requireText(step, rebuilt, text);
        if (latest.state().snapshotVersion() != deltas) {
            throw new IllegalStateException(step + ": version " + latest.state().snapshotVersion() + ", not " + deltas);
        }
        report(json(step, subject, trace, deltas)
                .add("seconds", round(seconds))
                .add("characters", rebuilt.length())
                .add("version", latest.state().snapshotVersion()));
    }

    /** The text at the last version, as the history's REST call reads it. */
    private void pastText(
            String subject, EditingTrace trace, int deltas, DocumentHistory history, UUID id, String text) {
        long start = System.nanoTime();
        PastText past = history.textAt(id, new PastPoint.AtVersion(deltas));
        double seconds = (System.nanoTime() - start) / 1e9;
        requireText("past-text", past.text(), text);
        report(json("past-text-at-last-version", subject, trace, deltas).add("seconds", round(seconds)));
    }

    private static void requireText(String step, String rebuilt, String expected) {
        if (!rebuilt.equals(expected)) {
            throw new IllegalStateException(step + ": the rebuilt text (" + rebuilt.length()
                    + " characters) is not the trace's final text (" + expected.length() + " characters)");
        }
    }

    /**
     * The document's items in the table as DynamoDB sizes them: each attribute's name plus its value
     * (strings as UTF-8; numbers 1 byte per two significant digits plus 1). The index {@code
     * byDocument} projects every attribute, so the table stores each item twice; DynamoDB also counts
     * 100 bytes of overhead per item and index entry, left out here.
     */
    private static long itemBytes(DynamoDbClient dynamo, UUID documentId) {
        // Small pages: DynamoDB Local (256 MB of heap in bin/local-dynamodb) runs out of memory on a
        // scan of the whole table, as on a query of the whole document in 1 MB pages.
        return dynamo
                .queryPaginator(query -> query.tableName(TABLE)
                        .indexName(DynamoDbEventLog.BY_DOCUMENT)
                        .keyConditionExpression("documentId = :document")
                        .expressionAttributeValues(Map.of(":document", AttributeValue.fromS(documentId.toString())))
                        .limit(1_000))
                .items()
                .stream()
                .mapToLong(ArchiveBenchmark::itemSize)
                .sum();
    }

    private static long itemSize(Map<String, AttributeValue> item) {
        long size = 0;
        for (Map.Entry<String, AttributeValue> attribute : item.entrySet()) {
            size += utf8(attribute.getKey());
            AttributeValue value = attribute.getValue();
            if (value.s() != null) {
                size += utf8(value.s());
            } else if (value.n() != null) {
                String digits =
                        value.n().replaceAll("[^0-9]", "").replaceAll("^0+", "").replaceAll("0+$", "");
                size += (Math.max(1, digits.length()) + 1) / 2 + 1;
            } else {
                throw new IllegalStateException("an attribute of another type: " + attribute.getKey());
            }
        }
        return size;
    }

    private static int utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    private static JsonObjectBuilder json(String step, String subject, EditingTrace trace, int deltas) {
        return Json.createObjectBuilder()
                .add("benchmark", "archive")
                .add("step", step)
                .add("trace", subject)
                .add("operations", trace.operationCount())
                .add("deltas", deltas);
    }

    private void report(JsonObjectBuilder result) {
        JsonObject line = result.build();
        results.add(line);
        System.out.println(line);
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }

    /** The Markdown table, on standard output and in {@code folio.bench.out}/summary.md. */
    private void summary() throws IOException {
        StringBuilder table = new StringBuilder("| step | events | seconds | events/s | bytes | bytes/operation |\n");
        table.append("|---|---:|---:|---:|---:|---:|\n");
        for (JsonObject result : results) {
            String step = result.getString("step");
            switch (step) {
                case "write" -> {
                    row(
                            table,
                            "DynamoDB write (event-log writer), item bytes",
                            result.getInt("events"),
                            result,
                            result.getJsonNumber("dynamoItemBytes").longValue(),
                            result.get("dynamoBytesPerOperation"));
                    table.append("| DynamoDB storage with the byDocument index and per-item overhead | | | | ")
                            .append(result.getJsonNumber("dynamoStoredBytesWithIndex")
                                    .longValue())
                            .append(" | ")
                            .append(result.get("dynamoStoredBytesWithIndexPerOperation"))
                            .append(" |\n");
                }
                case "compact" -> {
                    row(
                            table,
                            "compaction to S3 (archived and deleted)",
                            result.getInt("archivedEvents"),
                            result,
                            result.getJsonNumber("archiveBytes").longValue(),
                            result.get("archiveBytesPerArchivedOperation"));
                    table.append("| snapshot at the cut | | | | ")
                            .append(result.getInt("snapshotBytes"))
                            .append(" | ")
                            .append(result.get("snapshotBytesPerOperation"))
                            .append(" |\n");
                }
                default -> table.append("| ")
                        .append(STEPS.getOrDefault(step, step))
                        .append(" | | ")
                        .append(result.get("seconds"))
                        .append(" | | | |\n");
            }
        }
        System.out.print("\n" + table);
        String out = System.getProperty("folio.bench.out");
        if (out != null) {
            Files.writeString(Path.of(out, "summary.md"), table.toString());
        }
    }

    private static void row(StringBuilder table, String name, int events, JsonObject result, long bytes, Object perOp) {
        table.append("| ")
                .append(name)
                .append(" | ")
                .append(events)
                .append(" | ")
                .append(result.get("seconds"))
                .append(" | ")
                .append(result.get("eventsPerSecond"))
                .append(" | ")
                .append(bytes)
                .append(" | ")
                .append(perOp)
                .append(" |\n");
    }

    private static DynamoDbClient dynamo() {
        return DynamoDbClient.builder()
                .endpointOverride(URI.create(System.getProperty("folio.bench.dynamodb")))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(5))
                        .socketTimeout(Duration.ofSeconds(60))
                        .build())
                .build();
    }

    /** As {@code ConfiguredEventArchive} makes it, pointed at S3Proxy by path (access key folio). */
    private static S3Client s3() {
        return S3Client.builder()
                .endpointOverride(URI.create(System.getProperty("folio.bench.s3")))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("folio", "folio")))
                .forcePathStyle(true)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .httpClient(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(5))
                        .socketTimeout(Duration.ofSeconds(60))
                        .build())
                .build();
    }
}
