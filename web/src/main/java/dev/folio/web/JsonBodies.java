package dev.folio.web;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.StringReader;

/** Request bodies of the REST API: each resource says which members it needs. */
public final class JsonBodies {

    private JsonBodies() {}

    /** The body as a JSON object, or null if it is not one. */
    public static JsonObject object(String text) {
        try (var reader = Json.createReader(new StringReader(text == null ? "" : text))) {
            JsonValue value = reader.readValue();
            return value.getValueType() == JsonValue.ValueType.OBJECT ? value.asJsonObject() : null;
        } catch (RuntimeException e) {
            return null;
        }
    }
}
