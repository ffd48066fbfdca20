package dev.folio.document.socket;

/** A session's access ended: it gets an error frame with {@link #code} and is closed with {@link #closeCode}. */
final class AccessEndedException extends RuntimeException {

    final int closeCode;
    final String code;

    AccessEndedException(int closeCode, String code, String message) {
        super(message);
        this.closeCode = closeCode;
        this.code = code;
    }
}
