package dev.folio.history.rest;

import dev.folio.history.PastPoint;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * A past point as a request names it: exactly one of {@code version} (a whole number from 0),
 * {@code offset} (a whole number from 0) or {@code at} (an ISO-8601 time with its offset, e.g.
 * {@code 2026-11-23T10:15:30Z}), in the query or in a JSON body.
 */
final class PastPoints {

    static final String RULE = "give exactly one of version (a whole number >= 0), offset (a whole number >= 0)"
            + " or at (an ISO-8601 time with its zone, such as 2026-11-23T10:15:30Z)";

    private PastPoints() {}

    /** A point the request names wrongly; its message says how. */
    static final class BadPointException extends RuntimeException {
        BadPointException(String message) {
            super(message);
        }
    }

    static PastPoint of(String version, String offset, String at) {
        List<PastPoint> named = new ArrayList<>();
        if (version != null) {
            named.add(new PastPoint.AtVersion(whole("version", version)));
        }
        if (offset != null) {
            named.add(new PastPoint.AtOffset(whole("offset", offset)));
        }
        if (at != null) {
            named.add(new PastPoint.AtTime(time(at)));
        }
        if (named.size() != 1) {
            throw new BadPointException(RULE);
        }
        return named.get(0);
    }

    /** From a body such as {@code {"version": 12}}; null is no JSON object. */
    static PastPoint of(JsonObject body) {
        if (body == null) {
            throw new BadPointException("the body must be a JSON object: " + RULE);
        }
        return of(text(body, "version"), text(body, "offset"), text(body, "at"));
    }

    private static String text(JsonObject body, String name) {
        JsonValue value = body.get(name);
        if (value == null) {
            return null;
        }
        if (value instanceof JsonNumber number) {
            return number.toString();
        }
        if (value instanceof JsonString string && name.equals("at")) {
            return string.getString();
        }
        throw new BadPointException(name + " has the wrong type: " + RULE);
    }

    private static long whole(String name, String text) {
        try {
            long value = Long.parseLong(text);
            if (value >= 0) {
                return value;
            }
        } catch (NumberFormatException notWhole) {
            // told below
        }
        throw new BadPointException(name + " must be a whole number >= 0, not \"" + text + "\"");
    }

    private static Instant time(String text) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw new BadPointException(
                    "at must be an ISO-8601 time with its zone, such as 2026-11-23T10:15:30Z, not \"" + text + "\"");
        }
    }
}
