package dev.folio.document;

import dev.folio.lseq.Delta;
import dev.folio.lseq.Identifier;
import dev.folio.lseq.Operation;
import dev.folio.lseq.Operation.Insert;
import dev.folio.lseq.json.JsonDeltaCodec;
import java.nio.charset.StandardCharsets;

/**
 * What one delta may weigh, from the limits of the stores that keep them
 * (docs/security.md, "Limits"). Fixed, not settings: the stores' limits are.
 *
 * <ul>
 *   <li>The DynamoDB event log keeps each delta as one item ({@code BatchEvents}, {@code
 *       DynamoDbEventLog}), and DynamoDB refuses an item over 400 KB: attribute names and values,
 *       in UTF-8. The delta is its JSON ({@link JsonDeltaCodec#encode}); the rest is bounded.
 * </ul>
 */
public final class LogLimits {

    /** DynamoDB's largest item. */
    public static final int DYNAMODB_MAX_ITEM_BYTES = 400 * 1024;

    /**
     * Room in an event item for everything but the delta: the attribute names (79 bytes), {@code
     * pk} (at most 455: the document id and a site:opId of up to 128 characters, 384 bytes), {@code
     * sk} (84), the document and author ids (72), two numbers (42), the title (at most 200
     * characters, 600 bytes), the metadata (19) and two timestamps (about 60): some 1.4 KiB, with
     * ample margin for DynamoDB's own accounting and attributes to come.
     */
    public static final int EVENT_ITEM_ALLOWANCE_BYTES = 16 * 1024;

    /** The most a delta's JSON may take in the event log: 384 KiB. */
    public static final int MAX_DELTA_JSON_BYTES = DYNAMODB_MAX_ITEM_BYTES - EVENT_ITEM_ALLOWANCE_BYTES;

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
    static long jsonBytesAtMost(Delta delta) {
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
