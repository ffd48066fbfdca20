package dev.folio.history;

/**
 * A point the document's history does not hold: a version or offset beyond its last, a moment still
 * to come. {@code code} names which, for the problem the API answers.
 */
public class OutsideHistoryException extends RuntimeException {

    private final String code;

    public OutsideHistoryException(String code, String message) {
        super(message);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
