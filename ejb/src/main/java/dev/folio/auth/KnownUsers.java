package dev.folio.auth;

import java.util.List;

/** The people the server knows by id and name, to share documents with (docs/security.md). */
public interface KnownUsers {

    void remember(String id, String name);

    /** Whether someone with this id has signed in here (or is a demo user of the development issuer). */
    boolean isKnown(String id);

    /** Everyone, by name. */
    List<Known> all();

    /** Each known user's name, by id. */
    default java.util.Map<String, String> namesById() {
        java.util.Map<String, String> names = new java.util.HashMap<>();
        all().forEach(user -> names.put(user.id(), user.name()));
        return names;
    }

    record Known(String id, String name) {}
}
