package dev.folio.auth;

import java.util.List;

/** The people the server knows by id and name, to share documents with (docs/security.md). */
public interface KnownUsers {

    void remember(String id, String name);

    /** Everyone, by name. */
    List<Known> all();

    record Known(String id, String name) {}
}
