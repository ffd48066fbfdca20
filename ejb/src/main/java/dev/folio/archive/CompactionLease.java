package dev.folio.archive;

import java.util.UUID;

/** Who compacts a document: at most one node at a time across the cluster. */
public interface CompactionLease {

    /**
     * Takes the document's lease for this node, or renews it if this node holds it already.
     *
     * @return false if another node holds it and it has not expired
     */
    boolean hold(UUID documentId);

    /** Gives the lease up, if this node still holds it. */
    void release(UUID documentId);
}
