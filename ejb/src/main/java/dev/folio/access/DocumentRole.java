package dev.folio.access;

import java.util.Locale;
import java.util.Optional;

/** How a person may use a document they are a member of (docs/security.md, "Roles"). */
public enum DocumentRole {
    /** Created it: edits, shares, changes roles, deletes. Exactly one per document. */
    OWNER,
    /** Edits. */
    EDITOR,
    /** Reads and receives every delta; every delta it sends is refused. */
    VIEWER;

    public boolean mayEdit() {
        return this != VIEWER;
    }

    public boolean mayShare() {
        return this == OWNER;
    }

    /** The name stored and shown: {@code owner}, {@code editor}, {@code viewer}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<DocumentRole> of(String label) {
        for (DocumentRole role : values()) {
            if (role.label().equals(label)) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }
}
