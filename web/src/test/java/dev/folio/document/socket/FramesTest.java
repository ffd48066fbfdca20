package dev.folio.document.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** What a client sent, when the server writes it back into a frame or a log line (issue 19). */
class FramesTest {

    @Test
    void aNewlineInAnOpIdCannotForgeALogLine() {
        String logged = Frames.forLog("op-1\n[2026-12-07T12:00:00] INFO admin signed in\r");
        assertFalse(logged.contains("\n") || logged.contains("\r"), logged);
        assertEquals("op-1\\u000a[2026-12-07T12:00:00] INFO admin signed in\\u000d", logged);
    }

    @Test
    void aLoneSurrogateBecomesAReplacementCharacterAndPairsStay() {
        assertEquals("a\uFFFDb\uD83D\uDE00\uFFFD", Frames.encodable("a\uD800b\uD83D\uDE00\uDC00"));
        assertEquals("plain", Frames.encodable("plain"));
    }

    @Test
    void aLongClientStringIsCutInTheLog() {
        String logged = Frames.forLog("x".repeat(10_000));
        assertTrue(logged.length() <= 203, "at most 200 characters and an ellipsis: " + logged.length());
    }

    @Test
    void aFrameWithAnythingAfterItsJsonIsMalformed() {
        for (String trailing : new String[] {" x", "{}", "{\"type\":\"ping\"}", "]", " \u0000"}) {
            ProtocolException refused =
                    assertThrows(ProtocolException.class, () -> Frames.decode("{\"type\":\"ping\"}" + trailing));
            assertEquals("malformed-frame", refused.code, trailing);
        }
        assertInstanceOf(ClientFrame.Ping.class, Frames.decode(" {\"type\":\"ping\"}\n\t "), "white space is JSON");
    }
}
