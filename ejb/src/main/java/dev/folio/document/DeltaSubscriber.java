package dev.folio.document;

/**
 * A client connected to a document, as the document manager sees it. Calls for one document come
 * in version order while the document's lock is held: implementations queue and return at once.
 */
public interface DeltaSubscriber {

    /** The site the subscriber inserts as; inserts it sends must carry it. */
    int site();

    /**
     * The user the subscriber edits as (its session's caller): the log names them on every delta it
     * sends, for the audit trail. Null only where nobody signed in (tests).
     */
    String userId();

    /**
     * The subscriber joined at {@code version}. {@code snapshot} is the document's state (the
     * snapshot encoding of docs/lseq.md) when the subscriber was too far behind, else null and
     * the deltas it missed follow.
     */
    void joined(long version, byte[] snapshot);

    /** A delta from another client, durable now. */
    void deliver(AcceptedDelta delta);

    /**
     * The subscriber's delta {@code opId} is durable. {@code version} is the version it got, or 0
     * when it changed nothing (every operation was already applied).
     */
    void acknowledged(String opId, long version);

    /**
     * The subscriber's delta {@code opId}, accepted, never reached the log and never will: it is
     * not acknowledged and changed nothing ({@code code} and {@code message} say why).
     */
    void refused(String opId, String code, String message);

    /** The document is no longer served to this subscriber ({@code reason} says why). */
    void closed(Closure reason);

    /**
     * Whether the subscriber is being closed (after {@link #closed}, or for any reason of its own):
     * nothing it sends may be accepted any more. Read under the document's lock, so a close decided
     * under that lock is seen.
     */
    default boolean isClosing() {
        return false;
    }

    enum Closure {
        /** Deleted through the API. */
        DELETED,
        /** Its deltas could not be stored; the subscriber should join again. */
        UNAVAILABLE
    }
}
