package dev.folio.document;

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
import java.util.UUID;

/**
 * A delta accepted since the document's snapshot ({@code document_deltas}): written before the
 * client's ack, replayed over the snapshot when the document is loaded, deleted once a snapshot
 * covers it.
 */
@Entity
@Table(name = "document_deltas")
@IdClass(RecentDelta.Key.class)
@NamedQuery(
        name = RecentDelta.AFTER,
        query = "SELECT r FROM RecentDelta r WHERE r.documentId = :id AND r.version > :version ORDER BY r.version")
@NamedQuery(
        name = RecentDelta.COVERED,
        query = "DELETE FROM RecentDelta r WHERE r.documentId = :id AND r.version <= :version")
public class RecentDelta {

    public static final String AFTER = "RecentDelta.after";
    public static final String COVERED = "RecentDelta.covered";

    @Id
    @Column(name = "document_id")
    private UUID documentId;

    @Id
    private long version;

    @Column(name = "op_id")
    private String opId;

    private int site;

    private byte[] delta;

    @Column(name = "accepted_at")
    private LocalDateTime acceptedAt;

    protected RecentDelta() {}

    public RecentDelta(UUID documentId, long version, String opId, int site, byte[] delta) {
        if (version <= 0) {
            throw new IllegalArgumentException("versions start at 1");
        }
        this.documentId = Objects.requireNonNull(documentId, "documentId");
        this.version = version;
        this.opId = Objects.requireNonNull(opId, "opId");
        this.site = site;
        this.delta = Objects.requireNonNull(delta, "delta");
        this.acceptedAt = LocalDateTime.now(ZoneOffset.UTC);
    }

    public UUID documentId() {
        return documentId;
    }

    public long version() {
        return version;
    }

    public String opId() {
        return opId;
    }

    public int site() {
        return site;
    }

    public byte[] delta() {
        return delta;
    }

    /** The composite primary key (document_id, version). */
    public static class Key implements Serializable {
        private UUID documentId;
        private long version;

        public Key() {}

        public Key(UUID documentId, long version) {
            this.documentId = documentId;
            this.version = version;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && version == key.version && Objects.equals(documentId, key.documentId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(documentId, version);
        }
    }
}
