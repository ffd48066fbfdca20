package dev.folio.document;

import jakarta.ejb.ApplicationException;

/**
 * A client's delta was refused and changed nothing: malformed, not the sender's to make (inserts
 * under another site, a reused counter), or beyond a limit. The message says which; the code is the
 * error frame's (docs/protocol.md).
 */
@ApplicationException
public class RefusedDeltaException extends RuntimeException {

    private final String code;

    public RefusedDeltaException(String message) {
        this("invalid-delta", message);
    }

    public RefusedDeltaException(String code, String message) {
        super(message);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
