package dev.folio.document.socket;

import dev.folio.auth.TokenRejectedException;
import dev.folio.document.DocumentUnavailableException;
import dev.folio.document.IncompleteHistoryException;
import dev.folio.document.UnknownDocumentException;
import jakarta.websocket.CloseReason;
import java.time.Duration;
import java.util.Optional;

/**
 * How the server ends a session: the error frame's code and message, the close code
 * (docs/protocol.md, "Errors"), and how long the client is asked to wait before joining again. The
 * one place where what a session did, or what the document service threw, becomes a close code;
 * {@link DocumentSocket} only sends what this says.
 *
 * @param opId the delta the error frame names; null: none
 * @param retryAfter null: the client's own backoff
 */
record SessionEnding(int closeCode, String code, String message, String opId, Duration retryAfter) {

    /** A failure nobody foresaw (a bug, or an outage no exception names): the server's fault. */
    static final SessionEnding SERVER_FAILED = new SessionEnding(
            ClientChannel.DOCUMENT_UNAVAILABLE, "document-unavailable", "the server failed; join again", null, null);

    /** A session without a caller: the handshake lets none through, and none is trusted to be missing. */
    static final SessionEnding UNAUTHENTICATED =
            closing(ClientChannel.UNAUTHENTICATED, TokenRejectedException.MISSING, "sign in first");

    static final SessionEnding TOKEN_EXPIRED =
            closing(ClientChannel.UNAUTHENTICATED, "token-expired", "the access token expired; refresh and join again");

    /** More frames of any kind than the session's budget: presence, pings and joins cost too. */
    static final SessionEnding FRAMES_TOO_FAST =
            closing(ClientChannel.RATE_LIMITED, "rate-limited", "too many frames a second; join again later");

    /** The protocol is JSON in text frames: 1003, unsupported data. */
    static final SessionEnding BINARY_FRAME = closing(
            CloseReason.CloseCodes.CANNOT_ACCEPT.getCode(),
            "binary-not-supported",
            "this protocol sends JSON in text frames");

    static SessionEnding unknownDocument(String id) {
        return closing(ClientChannel.UNKNOWN_DOCUMENT, "unknown-document", "no document " + id);
    }

    static SessionEnding tooManySessions(int perUser) {
        return closing(
                ClientChannel.RATE_LIMITED,
                "too-many-sessions",
                "at most " + perUser + " sessions per user; close one");
    }

    static SessionEnding tooManyJoins(int perMinute, Duration wait) {
        return new SessionEnding(
                ClientChannel.RATE_LIMITED,
                "too-many-joins",
                "more than " + perMinute + " joins a minute; join again later",
                null,
                wait);
    }

    /** Closed rather than the delta refused: the client's later deltas may build on this one. */
    static SessionEnding deltasTooFast(String rateRule, String opId) {
        return new SessionEnding(
                ClientChannel.RATE_LIMITED, "rate-limited", rateRule + "; join again later and resend", opId, null);
    }

    /** How a session that failed with {@code failure} ends, if it is a failure the protocol names. */
    static Optional<SessionEnding> foreseen(RuntimeException failure) {
        if (failure instanceof UnknownDocumentException) {
            return Optional.of(closing(ClientChannel.UNKNOWN_DOCUMENT, "unknown-document", failure.getMessage()));
        }
        if (failure instanceof AccessEndedException ended) {
            return Optional.of(closing(ended.closeCode, ended.code, failure.getMessage()));
        }
        if (failure instanceof DocumentUnavailableException unavailable) {
            return Optional.of(new SessionEnding(
                    ClientChannel.DOCUMENT_UNAVAILABLE,
                    "document-unavailable",
                    unavailable.getMessage(),
                    null,
                    unavailable.retryAfter()));
        }
        if (failure instanceof IncompleteHistoryException) {
            return Optional.of(
                    closing(ClientChannel.DOCUMENT_UNAVAILABLE, IncompleteHistoryException.CODE, failure.getMessage()));
        }
        return Optional.empty();
    }

    private static SessionEnding closing(int closeCode, String code, String message) {
        return new SessionEnding(closeCode, code, message, null, null);
    }

    /** Sends the error frame, and closes the channel once what was queued before it is sent. */
    void endSession(ClientChannel channel) {
        if (retryAfter == null) {
            channel.sendAndClose(closeCode, code, message, opId);
        } else {
            channel.sendAndCloseUntil(closeCode, code, message, retryAfter);
        }
    }
}
