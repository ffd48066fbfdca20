package dev.folio.document.socket;

/** A frame the protocol does not allow; {@code code} is the error frame's code (docs/protocol.md). */
class ProtocolException extends RuntimeException {

    final String code;

    /** The operation id of the refused delta, when the frame had one. */
    final String opId;

    ProtocolException(String code, String message) {
        this(code, message, null);
    }

    ProtocolException(String code, String message, String opId) {
        super(message);
        this.code = code;
        this.opId = opId;
    }
}
