package dev.folio.access;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Who may use which document, and how: the members of each document (docs/security.md). */
public interface DocumentAccess {

    /** The user's role on the document; empty when it is not shared with them (or does not exist). */
    Optional<DocumentRole> role(UUID documentId, String userId);

    /** The document's members, the owner first. */
    List<Member> members(UUID documentId);

    /**
     * Shares the document with a user as editor or viewer, or changes their role.
     *
     * @param maxMembers how many members (the owner too) the document may have at most
     * @throws IllegalArgumentException for the owner's own row or the owner role
     * @throws MemberLimitException if the user is new and the document has {@code maxMembers}
     */
    Member share(UUID documentId, String userId, DocumentRole role, int maxMembers);

    /**
     * @return false if the user was no member
     * @throws IllegalArgumentException for the owner
     */
    boolean unshare(UUID documentId, String userId);

    /** How many documents the user owns. */
    long ownedCount(String userId);

    record Member(String userId, DocumentRole role) {}
}
