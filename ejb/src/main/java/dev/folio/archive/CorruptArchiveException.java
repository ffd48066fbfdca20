package dev.folio.archive;

import java.util.UUID;

/**
 * An archive object that is not what was written: its checksum or length does not match, or it does
 * not decode. It is never used; compaction of its document stops until an operator acts.
 */
public class CorruptArchiveException extends RuntimeException {

    private final UUID documentId;
    private final String key;

    public CorruptArchiveException(UUID documentId, String key, String why, Throwable cause) {
        super("the archive " + key + " of document " + documentId + " is corrupt: " + why, cause);
        this.documentId = documentId;
        this.key = key;
    }

    public CorruptArchiveException(UUID documentId, String key, String why) {
        this(documentId, key, why, null);
    }

    public UUID documentId() {
        return documentId;
    }

    public String key() {
        return key;
    }
}
