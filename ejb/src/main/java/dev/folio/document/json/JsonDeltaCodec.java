package dev.folio.document.json;

import dev.folio.lseq.Delta;
import dev.folio.lseq.Identifier;
import dev.folio.lseq.InvalidDeltaException;
import dev.folio.lseq.Operation;
import dev.folio.lseq.Operation.Delete;
import dev.folio.lseq.Operation.Insert;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import jakarta.json.stream.JsonParsingException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON form of a {@link Delta}, the one the WebSocket protocol carries:
 *
 * <pre>
 * {"ops": [{"type": "insert", "id": [[12, 3, 40], [7, 3, 41]], "text": "a"},
 *          {"type": "delete", "id": [[12, 3, 40]]}]}
 * </pre>
 *
 * Each {@code id} is the identifier's levels as [digit, site, counter]; {@code text} is exactly one
 * Unicode character. Unknown members are ignored so that later versions can add some.
 */
public final class JsonDeltaCodec {

    /** Looked up once: {@code Json.createX} searches the class path on every call. */
    private static final JsonProvider JSON = JsonProvider.provider();

    private JsonDeltaCodec() {}

    public static JsonObject toJson(Delta delta) {
        JsonArrayBuilder ops = JSON.createArrayBuilder();
        for (Operation operation : delta.operations()) {
            var op = JSON.createObjectBuilder();
            if (operation instanceof Insert insert) {
                op.add("type", "insert")
                        .add("id", toJson(insert.id()))
                        .add("text", Character.toString(insert.codePoint()));
            } else {
                op.add("type", "delete").add("id", toJson(operation.id()));
            }
            ops.add(op);
        }
        return JSON.createObjectBuilder().add("ops", ops).build();
    }

    /** The delta's JSON text: what {@code toJson(delta).toString()} gives, written without building the tree. */
    public static String encode(Delta delta) {
        StringBuilder out = new StringBuilder(32 + 48 * delta.operations().size()).append("{\"ops\":");
        return appendOps(out, delta).append('}').toString();
    }

    /** Appends the delta's operations as the JSON array of its {@code ops} member. */
    public static StringBuilder appendOps(StringBuilder out, Delta delta) {
        out.append('[');
        List<Operation> operations = delta.operations();
        for (int i = 0; i < operations.size(); i++) {
            Operation operation = operations.get(i);
            out.append(i == 0 ? "" : ",");
            if (operation instanceof Insert insert) {
                out.append("{\"type\":\"insert\",\"id\":");
                appendIdentifier(out, insert.id()).append(",\"text\":");
                JsonText.appendString(out, Character.toString(insert.codePoint()))
                        .append('}');
            } else {
                out.append("{\"type\":\"delete\",\"id\":");
                appendIdentifier(out, operation.id()).append('}');
            }
        }
        return out.append(']');
    }

    /** Appends the identifier as the JSON array of its levels, each [digit, site, counter]. */
    public static StringBuilder appendIdentifier(StringBuilder out, Identifier id) {
        out.append('[');
        for (int level = 0; level < id.depth(); level++) {
            out.append(level == 0 ? "[" : ",[")
                    .append(id.digit(level))
                    .append(',')
                    .append(id.site(level))
                    .append(',')
                    .append(id.counter(level))
                    .append(']');
        }
        return out.append(']');
    }

    public static JsonArray toJson(Identifier id) {
        JsonArrayBuilder levels = JSON.createArrayBuilder();
        for (int level = 0; level < id.depth(); level++) {
            levels.add(JSON.createArrayBuilder()
                    .add(id.digit(level))
                    .add(id.site(level))
                    .add(id.counter(level)));
        }
        return levels.build();
    }

    /**
     * @throws InvalidDeltaException if the text is not JSON or not a delta of this form
     */
    public static Delta decode(String json) {
        try (var reader = JSON.createReader(new StringReader(json))) {
            return fromJson(reader.readValue());
        } catch (JsonParsingException e) {
            throw new InvalidDeltaException("delta is not valid JSON: " + e.getMessage(), e);
        } catch (InvalidDeltaException e) {
            throw e;
        } catch (RuntimeException e) {
            // The parser also throws NumberFormatException (exponents out of range), its own limits
            // (number length, nesting depth) as other runtime exceptions, and JsonException.
            throw new InvalidDeltaException("delta could not be read: " + e.getMessage(), e);
        } catch (StackOverflowError e) {
            throw new InvalidDeltaException("delta is nested too deeply", e);
        }
    }

    public static Delta fromJson(JsonValue json) {
        JsonArray ops = member(object(json, "delta"), "ops", JsonValue.ValueType.ARRAY, "delta")
                .asJsonArray();
        List<Operation> operations = new ArrayList<>(ops.size());
        for (int i = 0; i < ops.size(); i++) {
            operations.add(operationFromJson(object(ops.get(i), "operation " + i), "operation " + i));
        }
        return new Delta(operations);
    }

    public static Identifier identifierFromJson(JsonValue json, String where) {
        if (json.getValueType() != JsonValue.ValueType.ARRAY) {
            throw new InvalidDeltaException(where + ": id must be an array of [digit, site, counter]");
        }
        JsonArray levels = json.asJsonArray();
        if (levels.isEmpty()) {
            throw new InvalidDeltaException(where + ": id must have at least one level");
        }
        int[] triples = new int[3 * levels.size()];
        for (int level = 0; level < levels.size(); level++) {
            JsonValue triple = levels.get(level);
            if (triple.getValueType() != JsonValue.ValueType.ARRAY
                    || triple.asJsonArray().size() != 3) {
                throw new InvalidDeltaException(where + ": id level " + level + " must be [digit, site, counter]");
            }
            for (int part = 0; part < 3; part++) {
                triples[3 * level + part] = nonNegativeInt(triple.asJsonArray().get(part), where);
            }
        }
        return Identifier.of(triples);
    }

    private static Operation operationFromJson(JsonObject op, String where) {
        String type = ((JsonString) member(op, "type", JsonValue.ValueType.STRING, where)).getString();
        Identifier id = identifierFromJson(member(op, "id", JsonValue.ValueType.ARRAY, where), where);
        return switch (type) {
            case "insert" -> new Insert(id, singleCodePoint(op, where));
            case "delete" -> new Delete(id);
            default -> throw new InvalidDeltaException(where + ": unknown type \"" + type + "\"");
        };
    }

    private static int singleCodePoint(JsonObject op, String where) {
        String text = ((JsonString) member(op, "text", JsonValue.ValueType.STRING, where)).getString();
        if (text.isEmpty() || text.codePointCount(0, text.length()) != 1) {
            throw new InvalidDeltaException(where + ": text must be exactly one character");
        }
        int codePoint = text.codePointAt(0);
        if (Character.isSurrogate(text.charAt(0))) {
            if (Character.isSupplementaryCodePoint(codePoint)) {
                return codePoint;
            }
            throw new InvalidDeltaException(where + ": text is not well-formed UTF-16 (lone surrogate)");
        }
        return codePoint;
    }

    private static JsonObject object(JsonValue json, String where) {
        if (json == null || json.getValueType() != JsonValue.ValueType.OBJECT) {
            throw new InvalidDeltaException(where + " must be a JSON object");
        }
        return json.asJsonObject();
    }

    private static JsonValue member(JsonObject object, String name, JsonValue.ValueType type, String where) {
        JsonValue value = object.get(name);
        if (value == null) {
            throw new InvalidDeltaException(where + ": missing \"" + name + "\"");
        }
        if (value.getValueType() != type) {
            throw new InvalidDeltaException(
                    where + ": \"" + name + "\" must be " + type.name().toLowerCase());
        }
        return value;
    }

    private static int nonNegativeInt(JsonValue value, String where) {
        if (value.getValueType() != JsonValue.ValueType.NUMBER || !((JsonNumber) value).isIntegral()) {
            throw new InvalidDeltaException(where + ": identifier parts must be integers");
        }
        JsonNumber number = (JsonNumber) value;
        var decimal = number.bigDecimalValue();
        if (decimal.precision() - decimal.scale() > 10) { // more integer digits than an int has; 1e999999999 too
            throw new InvalidDeltaException(where + ": identifier part " + number + " is out of range");
        }
        try {
            int n = decimal.toBigIntegerExact().intValueExact();
            if (n < 0) {
                throw new InvalidDeltaException(where + ": identifier parts are never negative");
            }
            return n;
        } catch (ArithmeticException e) {
            throw new InvalidDeltaException(where + ": identifier part " + number + " is out of range", e);
        }
    }
}
