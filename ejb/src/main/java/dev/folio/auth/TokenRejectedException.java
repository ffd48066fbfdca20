package dev.folio.auth;

/**
 * A token was refused. The code is what clients see (docs/security.md): {@code
 * unauthenticated}, {@code invalid-token}, {@code token-expired}, {@code token-revoked}, {@code
 * token-lifetime-too-long}.
 */
public class TokenRejectedException extends RuntimeException {

    public static final String MISSING = "unauthenticated";
    public static final String INVALID = "invalid-token";
    public static final String EXPIRED = "token-expired";
    public static final String REVOKED = "token-revoked";
    /** Signed, but made to live longer than {@code folio.auth.max-token-lifetime-seconds}. */
    public static final String TOO_LONG_LIVED = "token-lifetime-too-long";

    private final String code;

    public TokenRejectedException(String code, String message) {
        super(message);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
