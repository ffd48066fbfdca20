package dev.folio.document;

import jakarta.ejb.ApplicationException;

/**
 * A client's delta was refused and changed nothing: malformed, not the sender's to make (inserts
 * under another site, a reused counter), or beyond a limit. The message says which.
 */
@ApplicationException
public class RefusedDeltaException extends RuntimeException {

    public RefusedDeltaException(String message) {
        super(message);
    }
}
