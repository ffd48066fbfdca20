package dev.folio.lseq;

/**
 * A delta, operation or identifier that no honest replica could have produced, or bytes that do
 * not decode to one. The replica that refused it is unchanged.
 */
public class InvalidDeltaException extends RuntimeException {

    public InvalidDeltaException(String message) {
        super(message);
    }

    public InvalidDeltaException(String message, Throwable cause) {
        super(message, cause);
    }
}
