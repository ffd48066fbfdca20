package dev.folio.document;

import jakarta.ejb.ApplicationException;
import java.util.UUID;

/** No document has this id (never created, or deleted). */
@ApplicationException
public class UnknownDocumentException extends RuntimeException {

    public UnknownDocumentException(UUID id) {
        super("no document " + id);
    }
}
