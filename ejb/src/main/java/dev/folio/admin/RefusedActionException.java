package dev.folio.admin;

import jakarta.ejb.ApplicationException;

/**
 * An administrator's action refused before it changed anything; the transaction, with its audit
 * entry, rolls back. The web module answers it as a problem of the reason's status.
 */
@ApplicationException(rollback = true)
public class RefusedActionException extends RuntimeException {

    /** Why, as the API tells it. */
    public enum Reason {
        /** The input is not what the action takes (400). */
        BAD_INPUT,
        /** The document or user named does not exist (404). */
        UNKNOWN,
        /** The action does not apply to the target as it is (409): the owner's own role. */
        CONFLICT,
        /** A limit stands in the way (403). */
        LIMIT
    }

    private final Reason reason;
    private final String code;

    public RefusedActionException(Reason reason, String code, String message) {
        super(message);
        this.reason = reason;
        this.code = code;
    }

    public Reason reason() {
        return reason;
    }

    /** The problem's code: {@code unknown-document}, {@code owner}, ... */
    public String code() {
        return code;
    }
}
