package dev.folio.document;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.io.StringReader;
import java.util.Base64;

/**
 * The JSON kept in {@code documents.content}: the LSEQ snapshot (docs/lseq.md) in base64, or none
 * for a document that has had no edit yet.
 *
 * <pre>{"codec": "folio-lseq-snapshot/1", "snapshot": "RkxTMQ..."}</pre>
 */
final class SnapshotContent {

    static final String CODEC = "folio-lseq-snapshot/1";
    static final String EMPTY =
            Json.createObjectBuilder().add("codec", CODEC).build().toString();

    private SnapshotContent() {}

    static String toJson(byte[] snapshot) {
        return Json.createObjectBuilder()
                .add("codec", CODEC)
                .add("snapshot", Base64.getEncoder().encodeToString(snapshot))
                .build()
                .toString();
    }

    /** @return the snapshot, or null if the content holds none */
    static byte[] fromJson(String content) {
        if (content == null) {
            return null;
        }
        try (var reader = Json.createReader(new StringReader(content))) {
            JsonObject json = reader.readObject();
            if (!CODEC.equals(json.getString("codec", null))) {
                throw new IllegalStateException("documents.content has an unknown codec: " + json.get("codec"));
            }
            JsonString snapshot = json.getJsonString("snapshot");
            return snapshot == null ? null : Base64.getDecoder().decode(snapshot.getString());
        }
    }
}
