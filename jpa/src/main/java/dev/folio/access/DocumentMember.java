package dev.folio.access;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * One person a document is shared with, and how: {@code owner} (exactly one per document, its
 * creator), {@code editor} or {@code viewer}. The table is {@code document_members}
 * (the jpa module's db/migration); rows go with their document.
 */
@Entity
@Table(name = "document_members")
@IdClass(DocumentMember.Key.class)
@NamedQuery(
        name = DocumentMember.OF_DOCUMENT,
        query = "SELECT m FROM DocumentMember m WHERE m.documentId = :document ORDER BY m.grantedAt, m.userId")
@NamedQuery(
        name = DocumentMember.COUNT_OF_DOCUMENT,
        query = "SELECT COUNT(m) FROM DocumentMember m WHERE m.documentId = :document")
@NamedQuery(
        name = DocumentMember.OWNED_COUNT,
        query = "SELECT COUNT(m) FROM DocumentMember m WHERE m.userId = :user AND m.role = 'owner'")
@NamedQuery(
        name = DocumentMember.DOCUMENTS_OF,
        query = "SELECT d, m.role FROM Document d, DocumentMember m WHERE m.documentId = d.id AND m.userId = :user"
                + " ORDER BY d.updatedAt DESC, d.id")
public class DocumentMember {

    public static final String OF_DOCUMENT = "DocumentMember.ofDocument";
    public static final String COUNT_OF_DOCUMENT = "DocumentMember.countOfDocument";
    public static final String OWNED_COUNT = "DocumentMember.ownedCount";
    public static final String DOCUMENTS_OF = "DocumentMember.documentsOf";

    public static final Set<String> ROLES = Set.of("owner", "editor", "viewer");

    /** Subjects of tokens are at most this long; longer ones are refused before they get here. */
    public static final int MAX_USER_ID_LENGTH = 255;

    @Id
    @Column(name = "document_id")
    private UUID documentId;

    @Id
    @Column(name = "user_id")
    private String userId;

    private String role;

    @Column(name = "granted_at")
    private LocalDateTime grantedAt;

    protected DocumentMember() {}

    public DocumentMember(UUID documentId, String userId, String role) {
        this.documentId = Objects.requireNonNull(documentId, "documentId");
        if (userId == null || userId.isBlank() || userId.length() > MAX_USER_ID_LENGTH) {
            throw new IllegalArgumentException("a user id has 1 to " + MAX_USER_ID_LENGTH + " characters");
        }
        this.userId = userId;
        this.role = checkRole(role);
        this.grantedAt = LocalDateTime.now(ZoneOffset.UTC);
    }

    private static String checkRole(String role) {
        if (!ROLES.contains(role)) {
            throw new IllegalArgumentException("a role is one of " + ROLES + ", not " + role);
        }
        return role;
    }

    /** Makes an editor a viewer or the other way round; the owner stays the owner. */
    public void changeRole(String newRole) {
        if ("owner".equals(checkRole(newRole)) || "owner".equals(role)) {
            throw new IllegalArgumentException("ownership is not changed as a role");
        }
        this.role = newRole;
    }

    public UUID documentId() {
        return documentId;
    }

    public String userId() {
        return userId;
    }

    public String role() {
        return role;
    }

    public LocalDateTime grantedAt() {
        return grantedAt;
    }

    /** The composite primary key. */
    public static class Key implements Serializable {
        private UUID documentId;
        private String userId;

        public Key() {}

        public Key(UUID documentId, String userId) {
            this.documentId = documentId;
            this.userId = userId;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key
                    && Objects.equals(documentId, key.documentId)
                    && Objects.equals(userId, key.userId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(documentId, userId);
        }
    }
}
