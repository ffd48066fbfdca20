package dev.folio.archive;

import java.util.List;
import java.util.Set;
import java.util.UUID;

/** Where a document's compacted events go: one object per offset range, each checked when read. */
public interface EventArchive {

    /**
     * Writes the range under its {@link ArchivedRange#key()}, replacing any object there, and reads
     * it back: on return the archive holds exactly these bytes.
     *
     * @throws CorruptArchiveException if what was read back differs (the object is removed again)
     */
    void store(ArchivedRange range);

    /** The keys of the document's archives, in offset order. */
    List<String> keys(UUID documentId);

    /**
     * The archive under {@code key}, checked against the checksum written with it.
     *
     * @throws CorruptArchiveException if it does not match or does not decode
     */
    ArchivedRange read(UUID documentId, String key);

    /** Every document with an archive (disaster recovery finds documents by them). */
    Set<UUID> documentIds();

    /**
     * Marks the document deleted, for good: compaction does once a deleted document's events are all
     * archived and its deletion is about to be forgotten, so that a recovery never brings it back.
     */
    void markDeleted(UUID documentId);

    /** The documents marked deleted. */
    Set<UUID> deletedDocumentIds();
}
