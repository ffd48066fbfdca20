package dev.folio.document;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Where documents and their latest snapshots are kept; the log holds what came after. */
public interface DocumentStore {

    /**
     * A document whose empty snapshot covers the log named {@code log} up to {@code logOffset},
     * owned by {@code ownerId} (its author), in one transaction.
     *
     * @throws DocumentLimitException if the owner already owns {@code maxOwned} documents
     */
    DocumentSummary create(UUID id, String title, String ownerId, long logOffset, String log, long maxOwned);

    Optional<DocumentSummary> find(UUID id);

    /**
     * Puts back a document the store lost, at {@code state}, owned by the user whose author id is
     * {@code authorId} (a known user's, or the id itself), unless the store has it.
     *
     * @return whether it was put back
     */
    boolean recover(UUID id, String title, UUID authorId, StoredState state, String log, Instant createdAt);

    /** Every document, most recently updated first, with the versions of their stored snapshots. */
    List<DocumentSummary> list(int offset, int limit);

    /** The documents shared with {@code userId}, most recently updated first, with its role on each. */
    List<SharedDocument> listFor(String userId, int offset, int limit);

    Optional<StoredState> load(UUID id);

    /**
     * Stores a snapshot at {@code version}, covering the log named {@code log} up to {@code
     * logOffset}, unless the stored snapshot is as new or newer.
     *
     * @return whether it was written
     */
    boolean saveSnapshot(UUID id, byte[] snapshot, long version, long logOffset, String log);

    /** @return false if there was no such document */
    boolean delete(UUID id);

    /** A site number no replica of any document has had, given to {@code userId}. */
    int nextSite(String userId);

    /** Whether {@code site} was given to {@code userId}. */
    boolean isSiteOf(int site, String userId);

    /** Throws if the store cannot be reached. */
    void check();
}
