package dev.folio.document.socket;

import dev.folio.document.DocumentUnavailableException;
import dev.folio.document.IncompleteHistoryException;
import dev.folio.document.UnknownDocumentException;
import java.time.Duration;
import java.util.Optional;

/**
 * How a session ends when a frame fails: the error frame's code and message, the close code
 * (docs/protocol.md, "Errors"), and how long the client is asked to wait before joining again. The
 * one place where what the document service throws becomes a close code; {@link DocumentSocket}
 * only sends what this says.
 *
 * @param retryAfter null: the client's own backoff
 */
record SessionEnding(int closeCode, String code, String message, Duration retryAfter) {

    /** A failure nobody foresaw (a bug, or an outage no exception names): the server's fault. */
    static final SessionEnding SERVER_FAILED = new SessionEnding(
            ClientChannel.DOCUMENT_UNAVAILABLE, "document-unavailable", "the server failed; join again", null);

    /** How a session that failed with {@code failure} ends, if it is a failure the protocol names. */
    static Optional<SessionEnding> foreseen(RuntimeException failure) {
        if (failure instanceof UnknownDocumentException) {
            return ending(ClientChannel.UNKNOWN_DOCUMENT, "unknown-document", failure);
        }
        if (failure instanceof AccessEndedException ended) {
            return ending(ended.closeCode, ended.code, failure);
        }
        if (failure instanceof DocumentUnavailableException unavailable) {
            return Optional.of(new SessionEnding(
                    ClientChannel.DOCUMENT_UNAVAILABLE,
                    "document-unavailable",
                    unavailable.getMessage(),
                    unavailable.retryAfter()));
        }
        if (failure instanceof IncompleteHistoryException) {
            return ending(ClientChannel.DOCUMENT_UNAVAILABLE, IncompleteHistoryException.CODE, failure);
        }
        return Optional.empty();
    }

    private static Optional<SessionEnding> ending(int closeCode, String code, RuntimeException failure) {
        return Optional.of(new SessionEnding(closeCode, code, failure.getMessage(), null));
    }

    /** Sends the error frame, and closes the channel once what was queued before it is sent. */
    void endSession(ClientChannel channel) {
        if (retryAfter == null) {
            channel.sendAndClose(closeCode, code, message);
        } else {
            channel.sendAndCloseUntil(closeCode, code, message, retryAfter);
        }
    }
}
