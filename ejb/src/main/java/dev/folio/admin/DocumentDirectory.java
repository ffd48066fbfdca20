package dev.folio.admin;

import dev.folio.document.DocumentSummary;
import java.util.List;

/** Finds documents for administrators, across every owner. */
public interface DocumentDirectory {

    /**
     * Documents whose title contains {@code text}, or whose owner's name or id does (case
     * ignored), most recently updated first.
     */
    List<DocumentSummary> search(String text, int offset, int limit);
}
