package dev.folio.trace;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * A recorded editing history in the format of the public editing-traces collection (see
 * server-config/traces/README.md): patches applied in order, like {@code splice}, with positions in
 * code points, must turn {@code startContent} into {@code endContent}.
 */
public record EditingTrace(String name, String startContent, String endContent, List<Patch> patches) {

    /** Delete {@code deleteCount} characters at {@code position}, then insert {@code inserted} there. */
    public record Patch(int position, int deleteCount, String inserted) {}

    /** Reads a trace, gzipped or plain JSON (told apart by the gzip magic bytes). */
    public static EditingTrace read(Path file) throws IOException {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file))) {
            raw.mark(2);
            boolean gzipped = raw.read() == 0x1F && raw.read() == 0x8B;
            raw.reset();
            try (InputStream in = gzipped ? new GZIPInputStream(raw, 1 << 16) : raw;
                    var reader = Json.createReader(in)) {
                return fromJson(file.getFileName().toString(), reader.readObject());
            }
        }
    }

    private static EditingTrace fromJson(String name, JsonObject json) {
        List<Patch> patches = new ArrayList<>();
        for (JsonValue txn : json.getJsonArray("txns")) {
            for (JsonValue patch : txn.asJsonObject().getJsonArray("patches")) {
                JsonArray p = patch.asJsonArray();
                patches.add(new Patch(p.getInt(0), p.getInt(1), p.getString(2)));
            }
        }
        return new EditingTrace(name, json.getString("startContent", ""), json.getString("endContent"), patches);
    }

    /** Single-character operations: every deleted and every inserted character counts one. */
    public long operationCount() {
        long count = 0;
        for (Patch patch : patches) {
            count += patch.deleteCount()
                    + patch.inserted().codePointCount(0, patch.inserted().length());
        }
        return count;
    }
}
