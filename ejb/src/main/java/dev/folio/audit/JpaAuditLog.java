package dev.folio.audit;

import dev.folio.access.Caller;
import dev.folio.kafka.KafkaClients;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.time.ZoneOffset;
import java.util.List;

/** {@code audit_log} in PostgreSQL; a call joins the caller's transaction (REQUIRED). */
@Stateless
public class JpaAuditLog implements AuditLog {

    @PersistenceContext(unitName = "folio")
    EntityManager em;

    /** Names this node as the cluster view does. */
    @Inject
    KafkaClients clients;

    @Override
    public void record(Caller actor, AuditAction action, String target, String detail) {
        em.persist(new AuditEntry(actor.id(), actor.name(), action.label(), target, detail, clients.node()));
    }

    @Override
    public List<AuditRecord> newest(int offset, int limit) {
        return em.createNamedQuery(AuditEntry.NEWEST_FIRST, AuditEntry.class)
                .setFirstResult(offset)
                .setMaxResults(limit)
                .getResultStream()
                .map(JpaAuditLog::record)
                .toList();
    }

    @Override
    public long count() {
        return em.createNamedQuery(AuditEntry.COUNT, Long.class).getSingleResult();
    }

    private static AuditRecord record(AuditEntry entry) {
        return new AuditRecord(
                entry.id(),
                entry.at().toInstant(ZoneOffset.UTC),
                entry.actorId(),
                entry.actorName(),
                entry.action(),
                entry.target(),
                entry.detail(),
                entry.node());
    }
}
