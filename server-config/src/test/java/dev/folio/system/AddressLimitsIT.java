package dev.folio.system;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Limits per remote address, on a node of its own with low ones: every test connects from
 * 127.0.0.1, so the suite's nodes allow far more.
 */
class AddressLimitsIT extends SystemTest {

    static final int PORT = 18184;

    /**
     * Issue 19, item 8: one address opening sessions for many users (each may join, and make an
     * editing site, at its own rate) is held to a rate of handshakes, refused before their token is
     * even checked: here with bad tokens, which are 401 until the address's burst is spent, then 429.
     */
    @Test
    void handshakesFromOneAddressPastItsRateAreRefusedBeforeTheirTokenIsChecked() throws Exception {
        Map<String, String> environment = stack.services.nodeEnvironment("it-address-limits", FolioStack.jdbcUrl());
        environment.put("FOLIO_WS_HANDSHAKES_PER_MINUTE", "6");
        environment.put("FOLIO_WS_HANDSHAKE_BURST", "5");
        MicroNode node = MicroNode.folio(PORT, stack.work, environment);
        node.stopOnExit();
        node.start();
        try {
            UUID document = api.createDocument("Many connections from one address");
            URI uri = node.ws().resolve("/ws/documents/" + document);
            for (int i = 0; i < 5; i++) {
                IOException refused = assertThrows(IOException.class, () -> FrameSocket.open(uri, "not-a-token"));
                assertTrue(refused.getMessage().contains(" 401 "), refused.getMessage());
            }
            IOException limited = assertThrows(
                    IOException.class,
                    () -> FrameSocket.open(uri, TestTokens.shared().tester()));
            assertTrue(limited.getMessage().contains(" 429 "), "even with a good token: " + limited.getMessage());
        } finally {
            node.stop();
        }
    }
}
