package dev.folio.history;

/** A restore whose edits did not all reach the log: what did is in the document, like any edit. */
public class RestoreFailedException extends RuntimeException {

    public RestoreFailedException(String message) {
        super(message);
    }

    public RestoreFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
