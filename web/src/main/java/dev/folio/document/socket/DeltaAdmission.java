package dev.folio.document.socket;

import dev.folio.access.DocumentRole;
import dev.folio.document.Limits;

/**
 * What a joined session's delta must pass before the document manager sees it (docs/security.md,
 * "Limits"): a role that may edit, at most so many operations, and the session's rate of deltas.
 * Plain Java, so that the rules are unit-tested without a socket; {@link DocumentSocket} sends what
 * they decide.
 */
final class DeltaAdmission {

    private final int maxOperations;
    private final int maxPerSecond;

    DeltaAdmission(int maxOperations, int maxPerSecond) {
        this.maxOperations = maxOperations;
        this.maxPerSecond = maxPerSecond;
    }

    static DeltaAdmission of(Limits limits) {
        return new DeltaAdmission(limits.maxOperationsPerDelta(), limits.maxDeltasPerSecond());
    }

    /**
     * Admits {@code frame} from a session with {@code role}, taking one of the session's deltas a
     * second from {@code rate} if nothing else refuses it.
     *
     * @return false: faster than the rate allows; the session is closed rather than the delta
     *     refused, as the client's later deltas may build on this one
     * @throws ProtocolException the delta alone is refused; the session stays open
     */
    boolean admit(DocumentRole role, ClientFrame.DeltaFrame frame, TokenBucket rate, long nowNanos) {
        if (!role.mayEdit()) {
            throw new ProtocolException("read-only", "you may only view this document", frame.opId());
        }
        if (frame.delta().size() > maxOperations) {
            throw new ProtocolException(
                    "too-many-operations",
                    "a delta has at most " + maxOperations + " operations; send several",
                    frame.opId());
        }
        return rate.tryTake(nowNanos);
    }

    /** The rate, as the refusal and the closing error frame say it. */
    String rateRule() {
        return "more than " + maxPerSecond + " deltas a second";
    }
}
