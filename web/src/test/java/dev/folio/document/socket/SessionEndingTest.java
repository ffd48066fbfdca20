package dev.folio.document.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.folio.auth.TokenRejectedException;
import dev.folio.document.DocumentUnavailableException;
import dev.folio.document.IncompleteHistoryException;
import dev.folio.document.UnknownDocumentException;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The close codes and error codes a client sees when its frame fails (docs/protocol.md, "Errors"). */
class SessionEndingTest {

    private static final UUID DOCUMENT = UUID.fromString("0b7c6a2e-3f8d-4c1a-9e5b-2d4f6a8c0e13");

    @Test
    void anUnknownDocumentCloses4404() {
        UnknownDocumentException failure = new UnknownDocumentException(DOCUMENT);
        assertEquals(
                Optional.of(new SessionEnding(4404, "unknown-document", failure.getMessage(), null, null)),
                SessionEnding.foreseen(failure));
    }

    @Test
    void endedAccessClosesWithItsOwnCodes() {
        AccessEndedException failure = new AccessEndedException(
                ClientChannel.UNAUTHENTICATED, TokenRejectedException.INVALID, "a token of another user");
        assertEquals(
                Optional.of(
                        new SessionEnding(4401, TokenRejectedException.INVALID, "a token of another user", null, null)),
                SessionEnding.foreseen(failure));
    }

    @Test
    void anUnavailableDocumentCloses4503AndSaysWhenToComeBack() {
        DocumentUnavailableException failure = new DocumentUnavailableException("Kafka is away", Duration.ofSeconds(5));
        assertEquals(
                Optional.of(
                        new SessionEnding(4503, "document-unavailable", "Kafka is away", null, Duration.ofSeconds(5))),
                SessionEnding.foreseen(failure));
    }

    @Test
    void anIncompleteHistoryCloses4503WithItsCode() {
        IncompleteHistoryException failure = new IncompleteHistoryException(DOCUMENT, "an archive is missing");
        assertEquals(
                Optional.of(new SessionEnding(4503, IncompleteHistoryException.CODE, failure.getMessage(), null, null)),
                SessionEnding.foreseen(failure));
    }

    @Test
    void anythingElseIsTheServersFailureAndSaysNoMore() {
        assertTrue(SessionEnding.foreseen(new IllegalStateException("a bug with details"))
                .isEmpty());
        assertEquals(4503, SessionEnding.SERVER_FAILED.closeCode());
        assertEquals("the server failed; join again", SessionEnding.SERVER_FAILED.message());
    }

    @Test
    void whatASessionDidWrongClosesWithTheCodesOfTheProtocol() {
        assertEquals(
                new SessionEnding(
                        4401, "token-expired", "the access token expired; refresh and join again", null, null),
                SessionEnding.TOKEN_EXPIRED);
        assertEquals(
                new SessionEnding(4429, "too-many-sessions", "at most 8 sessions per user; close one", null, null),
                SessionEnding.tooManySessions(8));
        assertEquals(
                new SessionEnding(
                        4429,
                        "too-many-joins",
                        "more than 30 joins a minute; join again later",
                        null,
                        Duration.ofSeconds(2)),
                SessionEnding.tooManyJoins(30, Duration.ofSeconds(2)));
        assertEquals(
                new SessionEnding(
                        4429, "rate-limited", "more than 2 deltas a second; join again later and resend", "17-3", null),
                SessionEnding.deltasTooFast("more than 2 deltas a second", "17-3"));
        assertEquals(1003, SessionEnding.BINARY_FRAME.closeCode());
        assertEquals(4404, SessionEnding.unknownDocument("nope").closeCode());
    }
}
