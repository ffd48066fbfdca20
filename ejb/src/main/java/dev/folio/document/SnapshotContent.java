package dev.folio.document;

import jakarta.json.Json;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import java.io.StringReader;
import java.util.Base64;

/**
 * The JSON kept in {@code documents.content}: the LSEQ snapshot (docs/lseq.md) in base64, or none
 * for a document that has had no edit yet, and the offset of the last log record it covers.
 *
 * <pre>{"codec": "folio-lseq-snapshot/1", "snapshot": "RkxTMQ...", "logOffset": 4711, "log": "Dx3...:12"}</pre>
 *
 * A content without {@code logOffset} (written before the log existed) covers nothing of the log;
 * {@code log} names the log whose offsets {@code logOffset} counts ({@link DocumentLog#identity}),
 * absent in contents written before it was kept.
 *
 * @param snapshot the snapshot, or null if the content holds none
 * @param log the log's identity, or null
 */
record SnapshotContent(byte[] snapshot, long logOffset, String log) {

    static final String CODEC = "folio-lseq-snapshot/1";

    static String empty(long logOffset, String log) {
        return json(null, logOffset, log);
    }

    static String json(byte[] snapshot, long logOffset, String log) {
        JsonObjectBuilder json = Json.createObjectBuilder().add("codec", CODEC);
        if (snapshot != null) {
            json.add("snapshot", Base64.getEncoder().encodeToString(snapshot));
        }
        json.add("logOffset", logOffset);
        if (log != null) {
            json.add("log", log);
        }
        return json.build().toString();
    }

    static SnapshotContent fromJson(String content) {
        if (content == null) {
            return new SnapshotContent(null, -1, null);
        }
        try (var reader = Json.createReader(new StringReader(content))) {
            JsonObject json = reader.readObject();
            if (!CODEC.equals(json.getString("codec", null))) {
                throw new IllegalStateException("documents.content has an unknown codec: " + json.get("codec"));
            }
            JsonString snapshot = json.getJsonString("snapshot");
            JsonNumber logOffset = json.getJsonNumber("logOffset");
            return new SnapshotContent(
                    snapshot == null ? null : Base64.getDecoder().decode(snapshot.getString()),
                    logOffset == null ? -1 : logOffset.longValueExact(),
                    json.getString("log", null));
        }
    }
}
