package dev.folio.document.rest;

import dev.folio.access.DocumentRole;
import dev.folio.document.Document;
import dev.folio.web.JsonBodies;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.util.Optional;

/**
 * What the documents API's requests may say (docs/security.md, "Bad input"): each method returns
 * the value a call needs or throws {@link InvalidInputException}, before anything is looked up or
 * changed. Plain Java, unit-tested; {@link DocumentsResource} decides who may do what.
 */
final class DocumentInput {

    private DocumentInput() {}

    /**
     * The title of a new document, from {@code {"title": "..."}}: 1 to {@link Document#MAX_TITLE_LENGTH}
     * characters once stripped, no control characters. The author is whoever the token names, so a
     * body that claims one ({@code authorId}) is refused, not obeyed.
     */
    static String newTitle(String body) {
        JsonObject json = JsonBodies.object(body);
        if (json == null || !(json.get("title") instanceof JsonString title)) {
            throw new InvalidInputException("the body must be a JSON object with a \"title\" string");
        }
        String text = title.getString();
        if (text.isBlank() || text.strip().length() > Document.MAX_TITLE_LENGTH || hasControlCharacters(text)) {
            throw new InvalidInputException(
                    "a title has 1 to " + Document.MAX_TITLE_LENGTH + " characters, and no control characters");
        }
        if (json.containsKey("authorId")) {
            throw new InvalidInputException("the author is the signed-in user: omit \"authorId\"");
        }
        return text;
    }

    /** {@code {"role": "editor" | "viewer"}}: the owner is not a role one is given. */
    static DocumentRole sharedRole(String body) {
        JsonObject json = JsonBodies.object(body);
        Optional<DocumentRole> role = json != null && json.get("role") instanceof JsonString named
                ? DocumentRole.of(named.getString()).filter(given -> given != DocumentRole.OWNER)
                : Optional.empty();
        return role.orElseThrow(
                () -> new InvalidInputException("send {\"role\": \"editor\"} or {\"role\": \"viewer\"}"));
    }

    /** A user id, as a path names it: 1 to 255 characters, none a control character. */
    static String userId(String userId) {
        if (userId.isBlank() || userId.length() > 255 || hasControlCharacters(userId)) {
            throw new InvalidInputException("a user id has 1 to 255 characters, none a control character");
        }
        return userId;
    }

    /** Control characters, and lone surrogates (which no text has, and which PostgreSQL refuses). */
    private static boolean hasControlCharacters(String text) {
        return text.codePoints()
                .anyMatch(c -> Character.isISOControl(c) || Character.getType(c) == Character.SURROGATE);
    }
}
