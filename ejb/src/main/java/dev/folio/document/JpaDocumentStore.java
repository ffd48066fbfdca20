package dev.folio.document;

import dev.folio.access.DocumentMember;
import dev.folio.access.DocumentRole;
import dev.folio.persistence.AdvisoryLocks;
import jakarta.annotation.sql.DataSourceDefinition;
import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Documents in PostgreSQL through JPA: each document's latest snapshot in {@code documents}
 * (the jpa module's db/migration). Every method is one transaction.
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
        properties = {
            // JSONB columns are mapped as text; this lets PostgreSQL convert them.
            "stringtype=unspecified",
            // A connection is checked before it is handed out, and one that fails takes the whole
            // pool with it: after a database restart, no request gets a dead pooled connection.
            "fish.payara.is-connection-validation-required=true",
            "fish.payara.connection-validation-method=custom-validation",
            "fish.payara.validation-classname=org.glassfish.api.jdbc.validation.PostgresConnectionValidation",
            "fish.payara.fail-all-connections=true"
        })
public class JpaDocumentStore implements DocumentStore {

    @PersistenceContext(unitName = "folio")
    EntityManager em;

    @Override
    public DocumentSummary create(UUID id, String title, String ownerId, long logOffset, String log, long maxOwned) {
        // One create per owner at a time, so that parallel ones cannot all pass the count.
        AdvisoryLocks.holdUntilCommit(em, "documents of " + ownerId);
        long owned = em.createNamedQuery(DocumentMember.OWNED_COUNT, Long.class)
                .setParameter("user", ownerId)
                .getSingleResult();
        if (owned >= maxOwned) {
            throw new DocumentLimitException(maxOwned);
        }
        Document document = new Document(id, title, authorIdOf(ownerId), SnapshotContent.empty(logOffset, log));
        em.persist(document);
        writeBeforeItsMembers();
        em.persist(new DocumentMember(id, ownerId, DocumentRole.OWNER.label()));
        return DocumentSummary.of(document);
    }

    /**
     * Writes the new document's row now: its member rows refer to it, and no mapping joins the two
     * entities, so EclipseLink would order their inserts by its own rule (the member first, once
     * DocumentMember moved to another package, which broke every create).
     */
    private void writeBeforeItsMembers() {
        em.flush();
    }

    /**
     * The design's {@code author_id} is a UUID; a subject that is not one (an external issuer's)
     * is stored as the name-based UUID of it. {@code document_members} keeps the subject itself.
     */
    static UUID authorIdOf(String userId) {
        try {
            return UUID.fromString(userId);
        } catch (IllegalArgumentException notAUuid) {
            return UUID.nameUUIDFromBytes(userId.getBytes(StandardCharsets.UTF_8));
        }
    }

    @Override
    public boolean recover(UUID id, String title, UUID authorId, StoredState state, String log, Instant createdAt) {
        if (em.find(Document.class, id) != null) {
            return false;
        }
        String content = state.snapshot() == null
                ? SnapshotContent.empty(state.logOffset(), log)
                : SnapshotContent.json(state.snapshot(), state.logOffset(), log);
        LocalDateTime created = LocalDateTime.ofInstant(createdAt, ZoneOffset.UTC);
        em.persist(Document.recovered(id, title, authorId, content, state.snapshotVersion(), created));
        writeBeforeItsMembers();
        String owner = ownerWithAuthorId(authorId);
        if (owner != null) {
            em.persist(new DocumentMember(id, owner, DocumentRole.OWNER.label()));
        }
        return true;
    }

    /**
     * The user whose author id is {@code authorId}: a known user's subject maps to it ({@link
     * #authorIdOf}), and a subject that is a UUID is its own author id.
     */
    private String ownerWithAuthorId(UUID authorId) {
        if (authorId == null) {
            return null;
        }
        List<?> known = em.createNativeQuery("SELECT id FROM known_users").getResultList();
        return known.stream()
                .map(Object::toString)
                .filter(user -> authorIdOf(user).equals(authorId))
                .findFirst()
                .orElse(authorId.toString());
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

    @Override
    public List<SharedDocument> listFor(String userId, int offset, int limit) {
        return em.createNamedQuery(DocumentMember.DOCUMENTS_OF, Object[].class)
                .setParameter("user", userId)
                .setFirstResult(offset)
                .setMaxResults(limit)
                .getResultStream()
                .map(row -> new SharedDocument(
                        DocumentSummary.of((Document) row[0]),
                        DocumentRole.of((String) row[1]).orElseThrow()))
                .toList();
    }

    @Override
    public Optional<StoredState> load(UUID id) {
        Document document = em.find(Document.class, id);
        if (document == null) {
            return Optional.empty();
        }
        SnapshotContent content = SnapshotContent.fromJson(document.content());
        return Optional.of(new StoredState(content.snapshot(), document.version(), content.logOffset(), content.log()));
    }

    @Override
    public boolean saveSnapshot(UUID id, byte[] snapshot, long version, long logOffset, String log) {
        int written = em.createNamedQuery(Document.RECORD_SNAPSHOT)
                .setParameter("content", SnapshotContent.json(snapshot, logOffset, log))
                .setParameter("version", version)
                .setParameter("now", LocalDateTime.now(ZoneOffset.UTC))
                .setParameter("id", id)
                .executeUpdate();
        return written > 0;
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
    public int nextSite(String userId) {
        int site =
                ((Number) em.createNativeQuery("SELECT nextval('lseq_sites')").getSingleResult()).intValue();
        em.createNativeQuery("INSERT INTO lseq_site_owners (site, user_id) VALUES (?1, ?2)")
                .setParameter(1, site)
                .setParameter(2, userId)
                .executeUpdate();
        return site;
    }

    @Override
    public boolean isSiteOf(int site, String userId) {
        return !em.createNativeQuery("SELECT 1 FROM lseq_site_owners WHERE site = ?1 AND user_id = ?2")
                .setParameter(1, site)
                .setParameter(2, userId)
                .getResultList()
                .isEmpty();
    }

    @Override
    public void check() {
        em.createNativeQuery("SELECT 1").getSingleResult();
    }
}
