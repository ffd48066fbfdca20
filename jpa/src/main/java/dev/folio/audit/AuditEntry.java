package dev.folio.audit;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * One thing an administrator did: who, what, when, to what. The table is {@code audit_log}
 * (the jpa module's db/migration); rows are only ever added, so the entity has no setters.
 */
@Entity
@Table(name = "audit_log")
@NamedQuery(name = AuditEntry.NEWEST_FIRST, query = "SELECT a FROM AuditEntry a ORDER BY a.at DESC, a.id DESC")
@NamedQuery(name = AuditEntry.COUNT, query = "SELECT COUNT(a) FROM AuditEntry a")
public class AuditEntry {

    public static final String NEWEST_FIRST = "AuditEntry.newestFirst";
    public static final String COUNT = "AuditEntry.count";

    /** Longer details are cut: the log says what happened, it is not a place to store data. */
    public static final int MAX_DETAIL_LENGTH = 1000;

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    private LocalDateTime at;

    @Column(name = "actor_id")
    private String actorId;

    @Column(name = "actor_name")
    private String actorName;

    private String action;

    private String target;

    private String detail;

    private String node;

    protected AuditEntry() {}

    public AuditEntry(String actorId, String actorName, String action, String target, String detail, String node) {
        this.at = LocalDateTime.now(ZoneOffset.UTC);
        this.actorId = Objects.requireNonNull(actorId, "actorId");
        this.actorName = Objects.requireNonNull(actorName, "actorName");
        this.action = Objects.requireNonNull(action, "action");
        this.target = Objects.requireNonNull(target, "target");
        String given = detail == null ? "" : detail;
        this.detail = given.length() > MAX_DETAIL_LENGTH ? given.substring(0, MAX_DETAIL_LENGTH) : given;
        this.node = node == null ? "" : node;
    }

    public Long id() {
        return id;
    }

    /** When it was done, in UTC. */
    public LocalDateTime at() {
        return at;
    }

    public String actorId() {
        return actorId;
    }

    public String actorName() {
        return actorName;
    }

    public String action() {
        return action;
    }

    public String target() {
        return target;
    }

    public String detail() {
        return detail;
    }

    public String node() {
        return node;
    }
}
