package dev.folio.document.rest;

/**
 * A request the documents API refuses before doing anything (400, problem code {@code bad-request});
 * the message says what to send instead. {@link InvalidInputMapper} writes it.
 */
public final class InvalidInputException extends RuntimeException {

    InvalidInputException(String message) {
        super(message);
    }
}
