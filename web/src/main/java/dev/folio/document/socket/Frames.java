package dev.folio.document.socket;

import dev.folio.document.AcceptedDelta;
import dev.folio.document.SubmittedDelta;
import dev.folio.document.json.JsonDeltaCodec;
import dev.folio.document.json.JsonText;
import dev.folio.lseq.Delta;
import dev.folio.lseq.Identifier;
import dev.folio.lseq.InvalidDeltaException;
import dev.folio.lseq.LseqParameters;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import jakarta.json.stream.JsonParser;
import java.io.StringReader;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/** Reads client frames and writes server frames: the JSON protocol of docs/protocol.md. */
final class Frames {

    static final int MAX_OP_ID_LENGTH = 128;

    /** In characters (code points), after stripping white space at both ends. */
    static final int MAX_NAME_LENGTH = 64;

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
            case "presence" -> new ClientFrame.Presence(name(frame), caret(frame.get("caret")));
            case "auth" -> new ClientFrame.Auth(token(frame));
            default -> throw new ProtocolException("unknown-type", "no frame type \"" + shown(type) + "\"");
        };
    }

    /** A client's string as it may be echoed in an error: short, and nothing UTF-8 cannot carry. */
    private static String shown(String text) {
        String cut = text.length() > 64 ? text.substring(0, 64) + "…" : text;
        return cut.codePoints()
                .map(c -> Character.getType(c) == Character.SURROGATE || Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
                .toString();
    }

    private static JsonObject parse(String text) {
        try (JsonParser parser = JSON.createParser(new StringReader(text))) {
            if (!parser.hasNext() || parser.next() != JsonParser.Event.START_OBJECT) {
                throw new ProtocolException("malformed-frame", "a frame is a JSON object");
            }
            JsonObject frame = parser.getObject();
            // A reader stops after the first value: what follows it would pass unseen (issue 19).
            if (parser.hasNext()) {
                throw new ProtocolException("malformed-frame", "a frame is one JSON object and nothing after it");
            }
            return frame;
        } catch (ProtocolException e) {
            throw e;
        } catch (RuntimeException | StackOverflowError e) {
            throw new ProtocolException("malformed-frame", "a frame is a JSON object: " + e.getMessage());
        }
    }

    private static String token(JsonObject frame) {
        if (!(frame.get("token") instanceof JsonString token)
                || token.getString().isEmpty()
                || token.getString().length() > dev.folio.auth.TokenVerifier.MAX_TOKEN_LENGTH) {
            throw new ProtocolException("malformed-frame", "an auth frame carries an access token in \"token\"");
        }
        return token.getString();
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
        if (!(frame.get("opId") instanceof JsonString s) || !SubmittedDelta.isValidOpId(s.getString())) {
            throw new ProtocolException(
                    "malformed-frame",
                    "a delta needs \"opId\", a string of 1 to " + MAX_OP_ID_LENGTH
                            + " characters (no lone surrogates)");
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

    private static String name(JsonObject frame) {
        String name = frame.get("name") instanceof JsonString s ? s.getString().strip() : "";
        int length = name.codePointCount(0, name.length());
        // A lone surrogate cannot be written as UTF-8: relayed, it would fail the receivers' sockets.
        if (length == 0
                || length > MAX_NAME_LENGTH
                || name.codePoints().anyMatch(c -> Character.getType(c) == Character.SURROGATE)) {
            throw new ProtocolException(
                    "malformed-frame",
                    "a presence needs \"name\", a string of 1 to " + MAX_NAME_LENGTH + " characters");
        }
        return name;
    }

    private static ClientFrame.Caret caret(JsonValue caret) {
        if (caret == null || caret == JsonValue.NULL) {
            return null;
        }
        if (caret.getValueType() != JsonValue.ValueType.OBJECT) {
            throw new ProtocolException(
                    "malformed-frame", "\"caret\" must be null or an object {\"anchor\": ..., \"head\": ...}");
        }
        return new ClientFrame.Caret(caretEnd(caret.asJsonObject(), "anchor"), caretEnd(caret.asJsonObject(), "head"));
    }

    /**
     * A caret end: null for the start of the document, else an identifier checked as a delta's are.
     * Every document has the default parameters (LiveDocument), so the check needs no document.
     * The identifier need not be in the document: its character may have been deleted meanwhile.
     */
    private static Identifier caretEnd(JsonObject caret, String end) {
        JsonValue value = caret.get(end);
        if (value == null) {
            throw new ProtocolException("malformed-frame", "a caret needs \"" + end + "\", null or an identifier");
        }
        if (value == JsonValue.NULL) {
            return null;
        }
        try {
            Identifier id = JsonDeltaCodec.identifierFromJson(value, "caret " + end);
            LseqParameters.DEFAULT.check(id);
            return id;
        } catch (InvalidDeltaException e) {
            throw new ProtocolException("malformed-frame", e.getMessage());
        }
    }

    static String joined(
            UUID document,
            int site,
            long version,
            byte[] snapshot,
            int idleSeconds,
            String role,
            Instant tokenExpiresAt) {
        JsonObjectBuilder frame = JSON.createObjectBuilder()
                .add("type", "joined")
                .add("document", document.toString())
                .add("site", site)
                .add("version", version)
                .add("idleSeconds", idleSeconds)
                .add("role", role)
                .add("tokenExpiresAt", tokenExpiresAt.toEpochMilli());
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
        // Written, not built as a JSON-P tree: every delta passes here (docs/benchmarks.md).
        StringBuilder out = new StringBuilder(
                        96 + 48 * delta.delta().operations().size())
                .append("{\"type\":\"delta\",\"version\":")
                .append(delta.version())
                .append(",\"offset\":")
                .append(delta.offset())
                .append(",\"site\":")
                .append(delta.site())
                .append(",\"ops\":");
        String frame = JsonDeltaCodec.appendOps(out, delta.delta()).append('}').toString();
        lastDelta = new Encoded(delta, frame);
        return frame;
    }

    static String ack(String opId, long version) {
        StringBuilder out = new StringBuilder(48 + opId.length()).append("{\"type\":\"ack\",\"opId\":");
        return JsonText.appendString(out, opId)
                .append(",\"version\":")
                .append(version)
                .append('}')
                .toString();
    }

    /** A client's presence as the others see it, under the site it edits as. */
    static String presence(int site, ClientFrame.Presence presence) {
        JsonObjectBuilder frame = JSON.createObjectBuilder()
                .add("type", "presence")
                .add("site", site)
                .add("name", presence.name());
        ClientFrame.Caret caret = presence.caret();
        if (caret == null) {
            frame.add("caret", JsonValue.NULL);
        } else {
            frame.add(
                    "caret",
                    JSON.createObjectBuilder()
                            .add("anchor", caretEndJson(caret.anchor()))
                            .add("head", caretEndJson(caret.head())));
        }
        return frame.build().toString();
    }

    private static JsonValue caretEndJson(Identifier id) {
        return id == null ? JsonValue.NULL : JsonDeltaCodec.toJson(id);
    }

    /** The client of {@code site} is gone: the others drop its caret. */
    static String presenceLeft(int site) {
        return JSON.createObjectBuilder()
                .add("type", "presence")
                .add("site", site)
                .add("left", true)
                .build()
                .toString();
    }

    static String error(String code, String message, String opId) {
        return error(code, message, opId, null);
    }

    /** An error frame; {@code retryAfter}, when given, tells the client how long to wait before joining again. */
    static String error(String code, String message, String opId, Duration retryAfter) {
        JsonObjectBuilder frame = JSON.createObjectBuilder()
                .add("type", "error")
                .add("code", code)
                .add("message", encodable(message));
        if (opId != null) {
            frame.add("opId", encodable(opId));
        }
        if (retryAfter != null) {
            frame.add("retryAfter", retryAfter.toMillis());
        }
        return frame.build().toString();
    }

    /**
     * The text with each lone surrogate (which no UTF-8 frame can carry) replaced by U+FFFD: error
     * frames echo what a client sent, and one that cannot be encoded would fail the send. JSON
     * escapes control characters itself.
     */
    static String encodable(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean paired = Character.isHighSurrogate(c)
                    ? i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))
                    : !Character.isLowSurrogate(c) || (i > 0 && Character.isHighSurrogate(text.charAt(i - 1)));
            if (!paired) {
                if (out == null) {
                    out = new StringBuilder(text.length()).append(text, 0, i);
                }
                out.append('\uFFFD');
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? text : out.toString();
    }

    /**
     * Client text for a log line: control characters (a newline would forge a line) written as
     * {@code \\uXXXX}, lone surrogates replaced, and at most 200 characters.
     */
    static String forLog(String text) {
        if (text == null) {
            return "null";
        }
        String cut = encodable(text.length() > 200 ? text.substring(0, 200) + "..." : text);
        StringBuilder out = new StringBuilder(cut.length());
        cut.chars().forEach(c -> {
            if (Character.isISOControl(c)) {
                out.append(String.format("\\u%04x", c));
            } else {
                out.append((char) c);
            }
        });
        return out.toString();
    }

    /** Several server frames in one message, in order: {@code {"type":"batch","frames":[...]}}. */
    static String batch(List<String> frames) {
        StringBuilder batch = new StringBuilder("{\"type\":\"batch\",\"frames\":[");
        for (int i = 0; i < frames.size(); i++) {
            batch.append(i == 0 ? "" : ",").append(frames.get(i));
        }
        return batch.append("]}").toString();
    }

    static String tokenExpiring(Instant expiresAt) {
        return "{\"type\":\"token-expiring\",\"expiresAt\":" + expiresAt.toEpochMilli() + "}";
    }

    static String authenticated(Instant expiresAt) {
        return "{\"type\":\"authenticated\",\"expiresAt\":" + expiresAt.toEpochMilli() + "}";
    }

    static String pong() {
        return "{\"type\":\"pong\"}";
    }

    private record Encoded(AcceptedDelta delta, String frame) {}
}
