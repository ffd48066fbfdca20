package dev.folio.document;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.UUID;

/**
 * A document and its latest snapshot, in the design's {@code documents} table. {@code content} is
 * JSON holding the LSEQ snapshot; {@code version} is the last accepted delta the snapshot covers.
 * Timestamps are UTC.
 */
@Entity
@Table(name = "documents")
@NamedQuery(name = Document.ALL, query = "SELECT d FROM Document d ORDER BY d.updatedAt DESC, d.id")
@NamedQuery(
        name = Document.RECORD_SNAPSHOT,
        query = "UPDATE Document d SET d.content = :content, d.version = :version, d.updatedAt = :now"
                + " WHERE d.id = :id AND d.version < :version")
public class Document {

    public static final String ALL = "Document.all";

    /** Writes a snapshot only over an older one, so a late writer never rolls a document back. */
    public static final String RECORD_SNAPSHOT = "Document.recordSnapshot";

    public static final int MAX_TITLE_LENGTH = 200;

    @Id
    private UUID id;

    private String title;

    /** Text, not UUID: EclipseLink's UUID converter fails on a null (the column is nullable). */
    @Column(name = "author_id")
    private String authorId;

    @Column(columnDefinition = "jsonb")
    private String content;

    private long version;

    @Column(columnDefinition = "jsonb")
    private String metadata;

    @Column(name = "created_at")
    private LocalDateTime createdAt;

    @Column(name = "updated_at")
    private LocalDateTime updatedAt;

    protected Document() {}

    /** A new, empty document at version 0. */
    public Document(UUID id, String title, UUID authorId, String emptyContent) {
        this.id = Objects.requireNonNull(id, "id");
        this.title = checkTitle(title);
        this.authorId = authorId == null ? null : authorId.toString();
        this.content = Objects.requireNonNull(emptyContent, "content");
        this.version = 0;
        this.metadata = "{}";
        this.createdAt = LocalDateTime.now(ZoneOffset.UTC);
        this.updatedAt = createdAt;
    }

    /**
     * A document rebuilt from its history after the table lost it (docs/operations.md, "Disaster
     * recovery"): its snapshot at {@code version}, and the time of its first edit as its creation.
     */
    public static Document recovered(
            UUID id, String title, UUID authorId, String content, long version, LocalDateTime createdAt) {
        Document document = new Document(id, title, authorId, content);
        document.version = version;
        document.createdAt = createdAt;
        return document;
    }

    private static String checkTitle(String title) {
        String stripped = title == null ? "" : title.strip();
        if (stripped.isEmpty()) {
            throw new IllegalArgumentException("a document needs a title");
        }
        if (stripped.length() > MAX_TITLE_LENGTH) {
            throw new IllegalArgumentException("a title has at most " + MAX_TITLE_LENGTH + " characters");
        }
        return stripped;
    }

    public UUID id() {
        return id;
    }

    public String title() {
        return title;
    }

    public UUID authorId() {
        return authorId == null ? null : UUID.fromString(authorId);
    }

    public String content() {
        return content;
    }

    public long version() {
        return version;
    }

    public String metadata() {
        return metadata;
    }

    public LocalDateTime createdAt() {
        return createdAt;
    }

    public LocalDateTime updatedAt() {
        return updatedAt;
    }
}
