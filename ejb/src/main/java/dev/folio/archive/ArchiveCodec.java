package dev.folio.archive;

import dev.folio.document.StoredState;
import dev.folio.eventlog.LoggedDelta;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonGenerator;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * An archive object's bytes: gzip-compressed JSON, read by anyone with gzip and a JSON parser.
 *
 * <pre>{"format": "folio-archive/1", "documentId": "...", "fromOffset": 0, "toOffset": 41,
 *  "end": {"snapshot": "<base64 LSEQ snapshot, absent before the first edit>", "version": 57, "logOffset": 41},
 *  "events": [{"operationId": "17:a1", "kafkaOffset": 3, "version": 1, "delta": "{...}", "title": "Notes",
 *              "authorId": "...", "metadata": "{...}", "createdAt": "...", "updatedAt": "...",
 *              "editorId": "..."}, ...]}</pre>
 *
 * {@code editorId} (who made the edit) is absent from events written before the log named editors.
 *
 * The SHA-256 of the compressed bytes travels beside them (the object's metadata), and {@link
 * #decode} refuses bytes that do not match it: a truncated or damaged object is never read as a
 * shorter history.
 */
public final class ArchiveCodec {

    static final String FORMAT = "folio-archive/1";

    private ArchiveCodec() {}

    /** The bytes of an archive object and their SHA-256 in hex. */
    public record Encoded(byte[] bytes, String sha256) {}

    public static Encoded encode(ArchivedRange range) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(bytes);
                JsonGenerator json = Json.createGenerator(gzip)) {
            json.writeStartObject()
                    .write("format", FORMAT)
                    .write("documentId", range.documentId().toString())
                    .write("fromOffset", range.fromOffset())
                    .write("toOffset", range.toOffset());
            writeEnd(json, range.end());
            json.writeStartArray("events");
            range.events().forEach(event -> writeEvent(json, event));
            json.writeEnd().writeEnd();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] compressed = bytes.toByteArray();
        return new Encoded(compressed, sha256(compressed));
    }

    private static void writeEnd(JsonGenerator json, StoredState end) {
        json.writeStartObject("end");
        if (end.snapshot() != null) {
            json.write("snapshot", Base64.getEncoder().encodeToString(end.snapshot()));
        }
        json.write("version", end.snapshotVersion())
                .write("logOffset", end.logOffset())
                .writeEnd();
    }

    private static void writeEvent(JsonGenerator json, LoggedDelta event) {
        json.writeStartObject()
                .write("operationId", event.operationId())
                .write("kafkaOffset", event.kafkaOffset())
                .write("version", event.version())
                .write("delta", event.delta())
                .write("title", event.title());
        if (event.authorId() != null) {
            json.write("authorId", event.authorId().toString());
        }
        if (event.metadata() != null) {
            json.write("metadata", event.metadata());
        }
        json.write("createdAt", event.createdAt().toString())
                .write("updatedAt", event.updatedAt().toString());
        if (event.editorId() != null) {
            json.write("editorId", event.editorId());
        }
        json.writeEnd();
    }

    /**
     * The range in {@code bytes}, the object stored under {@code key} for {@code documentId}.
     *
     * @param sha256 the checksum written with the object (hex), null if it had none
     * @throws CorruptArchiveException if the bytes do not match it, do not decode, or hold another
     *     document's or another key's range
     */
    public static ArchivedRange decode(UUID documentId, String key, byte[] bytes, String sha256) {
        if (sha256 == null) {
            throw new CorruptArchiveException(documentId, key, "it has no SHA-256 with it");
        }
        String actual = sha256(bytes);
        if (!actual.equalsIgnoreCase(sha256)) {
            throw new CorruptArchiveException(
                    documentId,
                    key,
                    "its " + bytes.length + " bytes have SHA-256 " + actual + ", not the " + sha256 + " written");
        }
        ArchivedRange range;
        try (JsonReader reader = Json.createReader(new GZIPInputStream(new ByteArrayInputStream(bytes)))) {
            range = range(reader.readObject());
        } catch (IOException | RuntimeException e) {
            // A JsonException, or a field missing or of another type: all mean the same here.
            throw new CorruptArchiveException(documentId, key, "it does not decode: " + e, e);
        }
        if (!range.documentId().equals(documentId) || !range.key().equals(key)) {
            throw new CorruptArchiveException(documentId, key, "it holds the range " + range.key());
        }
        return range;
    }

    private static ArchivedRange range(JsonObject json) {
        if (!FORMAT.equals(json.getString("format"))) {
            throw new IllegalArgumentException("unknown format " + json.get("format"));
        }
        UUID documentId = UUID.fromString(json.getString("documentId"));
        List<LoggedDelta> events = new ArrayList<>();
        for (JsonValue event : json.getJsonArray("events")) {
            events.add(event(documentId, event.asJsonObject()));
        }
        return new ArchivedRange(
                documentId,
                json.getJsonNumber("fromOffset").longValueExact(),
                json.getJsonNumber("toOffset").longValueExact(),
                end(json.getJsonObject("end")),
                events);
    }

    private static StoredState end(JsonObject json) {
        String snapshot = json.getString("snapshot", null);
        return new StoredState(
                snapshot == null ? null : Base64.getDecoder().decode(snapshot),
                json.getJsonNumber("version").longValueExact(),
                json.getJsonNumber("logOffset").longValueExact());
    }

    private static LoggedDelta event(UUID documentId, JsonObject json) {
        String authorId = json.getString("authorId", null);
        return new LoggedDelta(
                documentId,
                json.getString("operationId"),
                json.getJsonNumber("kafkaOffset").longValueExact(),
                json.getJsonNumber("version").longValueExact(),
                json.getString("delta"),
                json.getString("title"),
                authorId == null ? null : UUID.fromString(authorId),
                json.getString("metadata", null),
                Instant.parse(json.getString("createdAt")),
                Instant.parse(json.getString("updatedAt")),
                json.getString("editorId", null));
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }
}
