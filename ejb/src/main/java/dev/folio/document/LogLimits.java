package dev.folio.document;

import dev.folio.document.json.JsonDeltaCodec;
import dev.folio.lseq.Delta;
import dev.folio.lseq.Identifier;
import dev.folio.lseq.Operation;
import dev.folio.lseq.Operation.Insert;
import dev.folio.lseq.SnapshotCodec;
import java.nio.charset.StandardCharsets;

/**
 * What one delta and one log record may weigh, from the limits of the stores that keep them
 * (docs/security.md, "Limits"). Fixed, not settings: the stores' limits are.
 *
 * <ul>
 *   <li>The DynamoDB event log keeps each delta as one item ({@code BatchEvents}, {@code
 *       DynamoDbEventLog}), and DynamoDB refuses an item over 400 KB: attribute names and values,
 *       in UTF-8. The delta is its JSON ({@link JsonDeltaCodec#encode}); the rest is bounded.
 *   <li>Kafka refuses a record over {@code max.request.size} (producer) or {@code
 *       message.max.bytes} (broker), 1 MiB by default, and the bridge dead-letters it: its deltas
 *       would never come back from the log. A record is one group-commit batch ({@link
 *       DeltaBatchCodec}).
 * </ul>
 */
public final class LogLimits {

    /** DynamoDB's largest item. */
    public static final int DYNAMODB_MAX_ITEM_BYTES = 400 * 1024;

    /**
     * Room in an event item for everything but the delta: the attribute names (79 bytes), {@code
     * pk} (at most 455: the document id and a site:opId of up to 128 characters, 384 bytes), {@code
     * sk} (84), the document and author ids (72), two numbers (42), the title (at most 200
     * characters, 600 bytes), the metadata (19) and two timestamps (74): some 1.4 KiB, with
     * ample margin for DynamoDB's own accounting and attributes to come.
     */
    public static final int EVENT_ITEM_ALLOWANCE_BYTES = 16 * 1024;

    /** The most a delta's JSON may take in the event log: 384 KiB. */
    public static final int MAX_DELTA_JSON_BYTES = DYNAMODB_MAX_ITEM_BYTES - EVENT_ITEM_ALLOWANCE_BYTES;

    /** Kafka's default {@code max.request.size} (and, give or take 12 bytes, {@code message.max.bytes}). */
    public static final int KAFKA_MAX_RECORD_BYTES = 1024 * 1024;

    /**
     * The most a log record's value may take: 900 KiB, leaving 124 KiB of Kafka's limit for the
     * record's key (a document id, 36 bytes), headers (none yet) and Kafka's framing (under 100
     * bytes). A record of one delta always fits: that delta's JSON fits {@link
     * #MAX_DELTA_JSON_BYTES}, and its binary form is smaller.
     */
    public static final int MAX_RECORD_BYTES = 900 * 1024;

    /**
     * The most a stored snapshot may take: 128 MiB, which PostgreSQL keeps in {@code
     * documents.content} as about 171 MB of base64, under the 255 MB a {@code jsonb} value may hold.
     */
    public static final long MAX_SNAPSHOT_BYTES = 128L << 20;

    /**
     * From this share of a snapshot limit on (its stored bytes, or its body against {@link
     * SnapshotCodec#MAX_BODY_BYTES}), a document takes no more edits: every edit, a delete too,
     * makes the next snapshot larger, and one that could not be stored, or not loaded again, would
     * leave the document to grow its log forever.
     */
    static final double SNAPSHOT_NEAR_LIMIT = 0.75;

    /** Whether a snapshot can be stored and loaded again. */
    public static boolean snapshotStorable(byte[] snapshot) {
        return snapshot.length <= MAX_SNAPSHOT_BYTES
                && SnapshotCodec.bodyLength(snapshot) <= SnapshotCodec.MAX_BODY_BYTES;
    }

    /** Whether a document whose snapshot is this one is near what a snapshot may be (see {@link #SNAPSHOT_NEAR_LIMIT}). */
    static boolean snapshotNearLimit(byte[] snapshot) {
        return snapshotNearLimit(snapshot, MAX_SNAPSHOT_BYTES, SnapshotCodec.MAX_BODY_BYTES);
    }

    static boolean snapshotNearLimit(byte[] snapshot, long maxStored, long maxBody) {
        return snapshot.length >= SNAPSHOT_NEAR_LIMIT * maxStored
                || SnapshotCodec.bodyLength(snapshot) >= SNAPSHOT_NEAR_LIMIT * maxBody;
    }

    /** {@code {"ops":[]}}. */
    private static final int DELTA_JSON_FRAME_BYTES = 10;

    /** {@code {"type":"insert","id":,"text":""}} and a comma. */
    private static final int INSERT_JSON_BYTES = 34;

    /** {@code {"type":"delete","id":}} and a comma. */
    private static final int DELETE_JSON_BYTES = 24;

    private LogLimits() {}

    /** Whether {@code delta}'s JSON fits {@link #MAX_DELTA_JSON_BYTES}; encodes it only when it may not. */
    static boolean fitsTheEventLog(Delta delta) {
        return jsonBytesAtMost(delta) <= MAX_DELTA_JSON_BYTES || jsonBytes(delta) <= MAX_DELTA_JSON_BYTES;
    }

    /** The bytes of {@code delta}'s JSON as the event log stores it. */
    static int jsonBytes(Delta delta) {
        return JsonDeltaCodec.encode(delta).getBytes(StandardCharsets.UTF_8).length;
    }

    /**
     * An upper bound of {@link #jsonBytes}, a few percent above it: the identifiers' numbers as
     * written, and each character as if escaped unless it is plain ASCII.
     */
    public static long jsonBytesAtMost(Delta delta) {
        long bytes = DELTA_JSON_FRAME_BYTES;
        for (Operation operation : delta.operations()) {
            bytes += jsonBytesAtMost(operation.id());
            bytes += operation instanceof Insert insert
                    ? INSERT_JSON_BYTES + jsonBytesAtMost(insert.codePoint())
                    : DELETE_JSON_BYTES;
        }
        return bytes;
    }

    /** {@code [[digit,site,counter],...]}, one more byte than it takes. */
    private static long jsonBytesAtMost(Identifier id) {
        long bytes = 2;
        for (int level = 0; level < id.depth(); level++) {
            bytes += 5 + digits(id.digit(level)) + digits(id.site(level)) + digits(id.counter(level));
        }
        return bytes;
    }

    /** A character: as itself when it is printable ASCII, else as if escaped (UTF-8 is never longer). */
    private static int jsonBytesAtMost(int codePoint) {
        if (codePoint >= 0x20 && codePoint < 0x7f) {
            return 2; // escaped with a backslash at most
        }
        return Character.charCount(codePoint) * 6;
    }

    /** Characters of {@code value} in decimal, with its sign. */
    private static int digits(int value) {
        if (value < 0) {
            return 11;
        }
        int digits = 1;
        for (int rest = value; rest >= 10; rest /= 10) {
            digits++;
        }
        return digits;
    }
}
