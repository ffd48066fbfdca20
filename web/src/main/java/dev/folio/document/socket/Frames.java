package dev.folio.document.socket;

import dev.folio.document.AcceptedDelta;
import dev.folio.lseq.Delta;
import dev.folio.lseq.InvalidDeltaException;
import dev.folio.lseq.json.JsonDeltaCodec;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import java.io.StringReader;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/** Reads client frames and writes server frames: the JSON protocol of docs/protocol.md. */
final class Frames {

    static final int MAX_OP_ID_LENGTH = 128;

    private static final JsonProvider JSON = JsonProvider.provider();

    /** The last delta frame written: every subscriber of a document gets the same one in a row. */
    private static volatile Encoded lastDelta;

    private Frames() {}

    static ClientFrame decode(String text) {
        JsonObject frame = parse(text);
        String type = frame.get("type") instanceof JsonString s ? s.getString() : null;
        if (type == null) {
            throw new ProtocolException("malformed-frame", "a frame needs a string member \"type\"");
        }
        return switch (type) {
            case "join" -> new ClientFrame.Join(
                    (int) number(frame, "site", 1, Integer.MAX_VALUE, 0),
                    number(frame, "version", 0, Long.MAX_VALUE, -1));
            case "delta" -> deltaFrame(frame);
            case "ping" -> new ClientFrame.Ping();
            default -> throw new ProtocolException("unknown-type", "no frame type \"" + type + "\"");
        };
    }

    private static JsonObject parse(String text) {
        try (var reader = JSON.createReader(new StringReader(text))) {
            JsonValue value = reader.readValue();
            if (value.getValueType() != JsonValue.ValueType.OBJECT) {
                throw new ProtocolException("malformed-frame", "a frame is a JSON object");
            }
            return value.asJsonObject();
        } catch (ProtocolException e) {
            throw e;
        } catch (RuntimeException | StackOverflowError e) {
            throw new ProtocolException("malformed-frame", "a frame is a JSON object: " + e.getMessage());
        }
    }

    private static long number(JsonObject frame, String name, long min, long max, long absent) {
        JsonValue value = frame.get(name);
        if (value == null || value == JsonValue.NULL) {
            return absent;
        }
        if (!(value instanceof JsonNumber number) || !number.isIntegral()) {
            throw new ProtocolException("malformed-frame", "\"" + name + "\" must be an integer");
        }
        long result;
        try {
            result = number.longValueExact();
        } catch (ArithmeticException e) {
            result = -1;
        }
        if (result < min || result > max) {
            throw new ProtocolException("malformed-frame", "\"" + name + "\" must be from " + min + " to " + max);
        }
        return result;
    }

    private static String opId(JsonObject frame) {
        if (!(frame.get("opId") instanceof JsonString s)
                || s.getString().isEmpty()
                || s.getString().length() > MAX_OP_ID_LENGTH) {
            throw new ProtocolException(
                    "malformed-frame", "a delta needs \"opId\", a string of 1 to " + MAX_OP_ID_LENGTH + " characters");
        }
        return s.getString();
    }

    private static ClientFrame.DeltaFrame deltaFrame(JsonObject frame) {
        String opId = opId(frame);
        Delta delta;
        try {
            delta = JsonDeltaCodec.fromJson(frame);
        } catch (InvalidDeltaException e) {
            throw new ProtocolException("invalid-delta", e.getMessage(), opId);
        }
        if (delta.isEmpty()) {
            throw new ProtocolException("invalid-delta", "a delta needs at least one operation", opId);
        }
        return new ClientFrame.DeltaFrame(opId, delta);
    }

    static String joined(UUID document, int site, long version, byte[] snapshot) {
        JsonObjectBuilder frame = JSON.createObjectBuilder()
                .add("type", "joined")
                .add("document", document.toString())
                .add("site", site)
                .add("version", version);
        if (snapshot != null) {
            frame.add("snapshot", Base64.getEncoder().encodeToString(snapshot));
        }
        return frame.build().toString();
    }

    static String delta(AcceptedDelta delta) {
        Encoded last = lastDelta;
        if (last != null && last.delta == delta) {
            return last.frame;
        }
        String frame = JSON.createObjectBuilder()
                .add("type", "delta")
                .add("version", delta.version())
                .add("site", delta.site())
                .add("ops", JsonDeltaCodec.toJson(delta.delta()).get("ops"))
                .build()
                .toString();
        lastDelta = new Encoded(delta, frame);
        return frame;
    }

    static String ack(String opId, long version) {
        return JSON.createObjectBuilder()
                .add("type", "ack")
                .add("opId", opId)
                .add("version", version)
                .build()
                .toString();
    }

    static String error(String code, String message, String opId) {
        JsonObjectBuilder frame = JSON.createObjectBuilder()
                .add("type", "error")
                .add("code", code)
                .add("message", message);
        if (opId != null) {
            frame.add("opId", opId);
        }
        return frame.build().toString();
    }

    /** Several server frames in one message, in order: {@code {"type":"batch","frames":[...]}}. */
    static String batch(List<String> frames) {
        StringBuilder batch = new StringBuilder("{\"type\":\"batch\",\"frames\":[");
        for (int i = 0; i < frames.size(); i++) {
            batch.append(i == 0 ? "" : ",").append(frames.get(i));
        }
        return batch.append("]}").toString();
    }

    static String pong() {
        return "{\"type\":\"pong\"}";
    }

    private record Encoded(AcceptedDelta delta, String frame) {}
}
