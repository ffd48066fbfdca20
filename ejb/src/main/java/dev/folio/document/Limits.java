package dev.folio.document;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Every limit on what one client may send or own, in one place (docs/security.md, "Limits").
 * Past a limit a request gets a typed error and nothing of it is applied.
 */
@ApplicationScoped
public class Limits {

    @Inject
    @ConfigProperty(name = "folio.ws.max-frame-characters", defaultValue = "1048576")
    int maxFrameCharacters;

    @Inject
    @ConfigProperty(name = "folio.ws.max-operations-per-delta", defaultValue = "20000")
    int maxOperationsPerDelta;

    @Inject
    @ConfigProperty(name = "folio.ws.max-deltas-per-second", defaultValue = "200")
    int maxDeltasPerSecond;

    @Inject
    @ConfigProperty(name = "folio.ws.delta-burst", defaultValue = "1000")
    int deltaBurst;

    @Inject
    @ConfigProperty(name = "folio.ws.max-sessions-per-user", defaultValue = "32")
    int maxSessionsPerUser;

    @Inject
    @ConfigProperty(name = "folio.ws.joins-per-minute", defaultValue = "60")
    int joinsPerMinute;

    @Inject
    @ConfigProperty(name = "folio.ws.join-burst", defaultValue = "40")
    int joinBurst;

    @Inject
    @ConfigProperty(name = "folio.ws.handshakes-per-minute", defaultValue = "1200")
    int handshakesPerMinute;

    @Inject
    @ConfigProperty(name = "folio.ws.handshake-burst", defaultValue = "200")
    int handshakeBurst;

    @Inject
    @ConfigProperty(name = "folio.ws.send-timeout-seconds", defaultValue = "30")
    int sendTimeoutSeconds;

    @Inject
    @ConfigProperty(name = "folio.documents.max-per-user", defaultValue = "500")
    long maxDocumentsPerUser;

    @Inject
    @ConfigProperty(name = "folio.document.max-members", defaultValue = "1000")
    int maxMembersPerDocument;

    @Inject
    @ConfigProperty(name = "folio.document.max-characters", defaultValue = "2000000")
    int maxDocumentCharacters;

    public int maxFrameCharacters() {
        return maxFrameCharacters;
    }

    public int maxOperationsPerDelta() {
        return maxOperationsPerDelta;
    }

    public int maxDeltasPerSecond() {
        return maxDeltasPerSecond;
    }

    public int deltaBurst() {
        return deltaBurst;
    }

    public int maxSessionsPerUser() {
        return maxSessionsPerUser;
    }

    /** How many joins one user may make a minute on a node, after a burst of {@link #joinBurst}. */
    public int joinsPerMinute() {
        return joinsPerMinute;
    }

    /** Joins at once: every session a user may have and some to spare, as after a node restart. */
    public int joinBurst() {
        return joinBurst;
    }

    /** WebSocket handshakes a minute from one remote address, after a burst of {@link #handshakeBurst}. */
    public int handshakesPerMinute() {
        return handshakesPerMinute;
    }

    public int handshakeBurst() {
        return handshakeBurst;
    }

    /** How long a client may take to read one frame the server sends before it is disconnected. */
    public int sendTimeoutSeconds() {
        return sendTimeoutSeconds;
    }

    public long maxDocumentsPerUser() {
        return maxDocumentsPerUser;
    }

    /** How many users a document may be shared with, its owner too. */
    public int maxMembersPerDocument() {
        return maxMembersPerDocument;
    }

    public int maxDocumentCharacters() {
        return maxDocumentCharacters;
    }

    /** Each limit under its configuration name, for the admin console. */
    public Map<String, Number> byName() {
        Map<String, Number> limits = new LinkedHashMap<>();
        limits.put("folio.ws.max-frame-characters", maxFrameCharacters);
        limits.put("folio.ws.max-operations-per-delta", maxOperationsPerDelta);
        limits.put("folio.ws.max-deltas-per-second", maxDeltasPerSecond);
        limits.put("folio.ws.delta-burst", deltaBurst);
        limits.put("folio.ws.max-sessions-per-user", maxSessionsPerUser);
        limits.put("folio.ws.joins-per-minute", joinsPerMinute);
        limits.put("folio.ws.join-burst", joinBurst);
        limits.put("folio.ws.handshakes-per-minute", handshakesPerMinute);
        limits.put("folio.ws.handshake-burst", handshakeBurst);
        limits.put("folio.ws.send-timeout-seconds", sendTimeoutSeconds);
        limits.put("folio.documents.max-per-user", maxDocumentsPerUser);
        limits.put("folio.document.max-members", maxMembersPerDocument);
        limits.put("folio.document.max-characters", maxDocumentCharacters);
        return limits;
    }
}
