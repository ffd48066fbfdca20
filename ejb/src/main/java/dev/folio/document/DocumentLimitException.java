package dev.folio.document;

import jakarta.ejb.ApplicationException;

/** A user who owns the most documents allowed ({@code folio.documents.max-per-user}) creates another. */
@ApplicationException(rollback = true)
public class DocumentLimitException extends RuntimeException {

    public DocumentLimitException(long limit) {
        super("a user owns at most " + limit + " documents; delete one first");
    }
}
