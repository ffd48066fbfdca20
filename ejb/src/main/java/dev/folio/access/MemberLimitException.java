package dev.folio.access;

import jakarta.ejb.ApplicationException;

/** An owner shares a document that has the most members allowed ({@code folio.document.max-members}). */
@ApplicationException(rollback = true)
public class MemberLimitException extends RuntimeException {

    public MemberLimitException(int limit) {
        super("a document has at most " + limit + " members, its owner too; remove one first");
    }
}
