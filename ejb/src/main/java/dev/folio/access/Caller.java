package dev.folio.access;

import java.security.Principal;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * Who sent a request, as its verified access token says: the token's subject and name, its groups,
 * and the token's id and lifetime (for revocation and for telling a session to refresh).
 */
public record Caller(String id, String name, Set<String> groups, String tokenId, Instant issuedAt, Instant expiresAt)
        implements Principal {

    /** May create documents. */
    public static final String WRITER = "writer";

    /** May use the admin console and its API. */
    public static final String ADMIN = "admin";

    public Caller {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        groups = Set.copyOf(groups);
        Objects.requireNonNull(tokenId, "tokenId");
        Objects.requireNonNull(issuedAt, "issuedAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    @Override
    public String getName() {
        return name;
    }

    public boolean isAdmin() {
        return groups.contains(ADMIN);
    }

    public boolean mayCreateDocuments() {
        return groups.contains(WRITER);
    }

    @Override
    public String toString() {
        return "user " + id + " (" + name + ")";
    }
}
