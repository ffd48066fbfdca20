package dev.folio.archive;

import java.util.UUID;

/**
 * A document's events, archive and snapshot do not agree, so nothing of it is removed: compaction
 * of that document stops here, and tries again on the next run.
 */
public class CompactionException extends RuntimeException {

    public CompactionException(UUID documentId, String why) {
        super("document " + documentId + " not compacted: " + why);
    }
}
