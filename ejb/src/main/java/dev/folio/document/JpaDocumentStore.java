package dev.folio.document;

import dev.folio.lseq.BinaryDeltaCodec;
import jakarta.annotation.sql.DataSourceDefinition;
import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Documents in PostgreSQL through JPA: snapshots in {@code documents}, recent deltas in {@code
 * document_deltas} (resources/src/main/sql/schema.sql). Every method is one transaction.
 */
@Stateless
@DataSourceDefinition(
        name = "java:app/jdbc/folio",
        className = "org.postgresql.ds.PGSimpleDataSource",
        url = "${ENV=FOLIO_DB_URL:jdbc:postgresql://127.0.0.1:5433/folio}",
        user = "${ENV=FOLIO_DB_USER:folio}",
        password = "${ENV=FOLIO_DB_PASSWORD:folio}",
        minPoolSize = 2,
        maxPoolSize = 32,
        // JSONB columns are mapped as text; this lets PostgreSQL convert them.
        properties = {"stringtype=unspecified"})
public class JpaDocumentStore implements DocumentStore {

    @PersistenceContext(unitName = "folio")
    EntityManager em;

    @Override
    public DocumentSummary create(String title, UUID authorId) {
        Document document = new Document(UUID.randomUUID(), title, authorId, SnapshotContent.EMPTY);
        em.persist(document);
        return DocumentSummary.of(document);
    }

    @Override
    public Optional<DocumentSummary> find(UUID id) {
        return Optional.ofNullable(em.find(Document.class, id)).map(DocumentSummary::of);
    }

    @Override
    public List<DocumentSummary> list(int offset, int limit) {
        return em.createNamedQuery(Document.ALL, Document.class)
                .setFirstResult(offset)
                .setMaxResults(limit)
                .getResultStream()
                .map(DocumentSummary::of)
                .toList();
    }

    /**
     * Locks the document's row while reading, so that a snapshot written meanwhile cannot delete
     * rows between reading the snapshot and reading the rows after it.
     */
    @Override
    public Optional<StoredState> load(UUID id) {
        Document document = em.find(Document.class, id, LockModeType.PESSIMISTIC_READ);
        if (document == null) {
            return Optional.empty();
        }
        List<AcceptedDelta> after = em.createNamedQuery(RecentDelta.AFTER, RecentDelta.class)
                .setParameter("id", id)
                .setParameter("version", document.version())
                .getResultStream()
                .map(r -> new AcceptedDelta(r.version(), r.opId(), r.site(), BinaryDeltaCodec.decode(r.delta())))
                .toList();
        return Optional.of(new StoredState(SnapshotContent.fromJson(document.content()), document.version(), after));
    }

    @Override
    public void append(UUID id, List<AcceptedDelta> batch) {
        for (AcceptedDelta delta : batch) {
            em.persist(new RecentDelta(
                    id, delta.version(), delta.opId(), delta.site(), BinaryDeltaCodec.encode(delta.delta())));
        }
    }

    @Override
    public boolean saveSnapshot(UUID id, byte[] snapshot, long version) {
        int written = em.createNamedQuery(Document.RECORD_SNAPSHOT)
                .setParameter("content", SnapshotContent.toJson(snapshot))
                .setParameter("version", version)
                .setParameter("now", LocalDateTime.now(ZoneOffset.UTC))
                .setParameter("id", id)
                .executeUpdate();
        if (written == 0) {
            return false;
        }
        em.createNamedQuery(RecentDelta.COVERED)
                .setParameter("id", id)
                .setParameter("version", version)
                .executeUpdate();
        return true;
    }

    @Override
    public boolean delete(UUID id) {
        Document document = em.find(Document.class, id);
        if (document == null) {
            return false;
        }
        em.remove(document);
        return true;
    }

    @Override
    public int nextSite() {
        return ((Number) em.createNativeQuery("SELECT nextval('lseq_sites')").getSingleResult()).intValue();
    }

    @Override
    public int lastSite() {
        return ((Number) em.createNativeQuery("SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM lseq_sites")
                        .getSingleResult())
                .intValue();
    }

    @Override
    public void check() {
        em.createNativeQuery("SELECT 1").getSingleResult();
    }
}
