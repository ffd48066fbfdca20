package dev.folio.document;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Where documents, their snapshots and their recent deltas are kept. */
public interface DocumentStore {

    DocumentSummary create(String title, UUID authorId);

    Optional<DocumentSummary> find(UUID id);

    /** Most recently updated first, with the versions of their stored snapshots. */
    List<DocumentSummary> list(int offset, int limit);

    Optional<StoredState> load(UUID id);

    /** Stores accepted deltas of one document, all or none, before they are acknowledged. */
    void append(UUID id, List<AcceptedDelta> batch);

    /**
     * Stores a snapshot covering {@code version} and drops the deltas it covers, unless the stored
     * snapshot is as new or newer.
     *
     * @return whether it was written
     */
    boolean saveSnapshot(UUID id, byte[] snapshot, long version);

    /** @return false if there was no such document */
    boolean delete(UUID id);

    /** A site number no replica of any document has had. */
    int nextSite();

    /** The highest site number given so far (0 if none). */
    int lastSite();

    /** Throws if the store cannot be reached. */
    void check();
}
