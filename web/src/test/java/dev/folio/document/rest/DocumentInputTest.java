package dev.folio.document.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.folio.access.DocumentRole;
import dev.folio.document.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What the documents API takes from a request body or path, and what it refuses with which reason. */
class DocumentInputTest {

    @Test
    void aTitleIsTakenAsSent() {
        assertEquals("  Notes 😀 ", DocumentInput.newTitle("{\"title\": \"  Notes 😀 \"}"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "null", "[]", "\"Notes\"", "{}", "{\"title\": 5}", "{\"title\": null}", "{\"title\""})
    void aBodyWithoutATitleStringIsRefused(String body) {
        assertRefused("the body must be a JSON object with a \"title\" string", () -> DocumentInput.newTitle(body));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"title\": \"   \"}",
                "{\"title\": \"a\\u0000b\"}",
                "{\"title\": \"a\\nb\"}",
                "{\"title\": \"\\ud800\"}"
            })
    void aBlankTitleOrOneWithControlCharactersIsRefused(String body) {
        assertRefused(titleRule(), () -> DocumentInput.newTitle(body));
    }

    @Test
    void aTitleLongerThanTheLimitIsRefusedButSpacesAroundItDoNotCount() {
        String longest = "x".repeat(Document.MAX_TITLE_LENGTH);
        assertEquals(" " + longest + " ", DocumentInput.newTitle("{\"title\": \" " + longest + " \"}"));
        assertRefused(titleRule(), () -> DocumentInput.newTitle("{\"title\": \"" + longest + "x\"}"));
    }

    @Test
    void aBodyThatNamesItsAuthorIsRefusedNotObeyed() {
        assertRefused(
                "the author is the signed-in user: omit \"authorId\"",
                () -> DocumentInput.newTitle("{\"title\": \"Notes\", \"authorId\": \"mallory\"}"));
    }

    @Test
    void aDocumentIsSharedForEditingOrViewingButNeverAsOwner() {
        assertEquals(DocumentRole.EDITOR, DocumentInput.sharedRole("{\"role\": \"editor\"}"));
        assertEquals(DocumentRole.VIEWER, DocumentInput.sharedRole("{\"role\": \"viewer\"}"));
        for (String body : new String[] {"{\"role\": \"owner\"}", "{\"role\": \"EDITOR\"}", "{}", "editor", ""}) {
            assertRefused(
                    "send {\"role\": \"editor\"} or {\"role\": \"viewer\"}", () -> DocumentInput.sharedRole(body));
        }
    }

    @Test
    void aUserIdHasOneTo255CharactersNoneAControlCharacter() {
        assertEquals("ada", DocumentInput.userId("ada"));
        assertEquals("x".repeat(255), DocumentInput.userId("x".repeat(255)));
        for (String userId : new String[] {"", " ", "x".repeat(256), "ada\u0000", "a\tb", "\ud800"}) {
            assertRefused(
                    "a user id has 1 to 255 characters, none a control character", () -> DocumentInput.userId(userId));
        }
    }

    private static String titleRule() {
        return "a title has 1 to " + Document.MAX_TITLE_LENGTH + " characters, and no control characters";
    }

    private static void assertRefused(String message, Runnable call) {
        assertEquals(
                message, assertThrows(InvalidInputException.class, call::run).getMessage());
    }
}
