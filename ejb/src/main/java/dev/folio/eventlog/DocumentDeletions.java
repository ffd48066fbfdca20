package dev.folio.eventlog;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Deleted documents whose events are still to be archived: the event-log writer records each
 * deletion it reads from the log, and compaction forgets it once the document's events are all in
 * the archive (docs/operations.md, "Compaction and the archive").
 */
public interface DocumentDeletions {

    /** Records the deletions; recording one again changes nothing. */
    void recordDeletions(List<DocumentDeletion> deletions);

    /** Every deletion recorded and not forgotten. */
    List<DocumentDeletion> deletions();

    Optional<DocumentDeletion> deletion(UUID documentId);

    void forgetDeletion(UUID documentId);
}
