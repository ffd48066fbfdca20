package dev.folio.persistence;

import jakarta.persistence.EntityManager;

/**
 * PostgreSQL advisory locks held until the transaction ends: a count-then-insert under one of
 * them cannot be passed by a parallel one (the documents a user owns, the members of a document).
 */
public final class AdvisoryLocks {

    private AdvisoryLocks() {}

    /** Waits for, then holds until commit or rollback, the lock named {@code what}. */
    public static void holdUntilCommit(EntityManager em, String what) {
        em.createNativeQuery("SELECT 1 FROM (SELECT pg_advisory_xact_lock(hashtext(?1))) AS locked")
                .setParameter(1, what)
                .getSingleResult();
    }
}
