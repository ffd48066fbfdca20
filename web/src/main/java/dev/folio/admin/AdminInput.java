package dev.folio.admin;

import dev.folio.access.DocumentRole;
import dev.folio.admin.RefusedActionException.Reason;
import dev.folio.web.JsonBodies;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.util.UUID;

/** Decodes what the admin API's calls name, refusing bad input before anything is done. */
final class AdminInput {

    private AdminInput() {}

    /** A document id; anything else names no document (404, as the rest of the API answers it). */
    static UUID document(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new RefusedActionException(Reason.UNKNOWN, "unknown-document", "no document " + id);
        }
    }

    static String userId(String userId) {
        if (userId.isBlank() || userId.length() > 255 || userId.codePoints().anyMatch(Character::isISOControl)) {
            throw new RefusedActionException(
                    Reason.BAD_INPUT, "bad-request", "a user id has 1 to 255 characters, none a control character");
        }
        return userId;
    }

    /** {@code {"role": "editor" | "viewer"}}: the owner is not a role one is given. */
    static DocumentRole role(String body) {
        JsonObject json = JsonBodies.object(body);
        return (json != null && json.get("role") instanceof JsonString named
                        ? DocumentRole.of(named.getString()).filter(role -> role != DocumentRole.OWNER)
                        : java.util.Optional.<DocumentRole>empty())
                .orElseThrow(() -> new RefusedActionException(
                        Reason.BAD_INPUT, "bad-request", "send {\"role\": \"editor\"} or {\"role\": \"viewer\"}"));
    }

    /** A search text: up to 200 characters, none a control character; blank is none. */
    static String search(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        if (text.length() > 200 || text.codePoints().anyMatch(Character::isISOControl)) {
            throw new RefusedActionException(
                    Reason.BAD_INPUT, "bad-request", "a search has up to 200 characters, none a control character");
        }
        return text.strip();
    }
}
