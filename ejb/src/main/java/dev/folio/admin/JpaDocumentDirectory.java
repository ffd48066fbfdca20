package dev.folio.admin;

import dev.folio.document.DocumentSummary;
import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.util.List;
import java.util.UUID;

/**
 * Searches {@code documents} with their owner ({@code document_members}) and the owner's name
 * ({@code known_users}) in PostgreSQL. A plain ILIKE scan: fine for the thousands of documents an
 * administrator pages through; a large installation would want a trigram index.
 */
@Stateless
public class JpaDocumentDirectory implements DocumentDirectory {

    @PersistenceContext(unitName = "folio")
    EntityManager em;

    @Override
    public List<DocumentSummary> search(String text, int offset, int limit) {
        List<?> rows = em.createNativeQuery(
                        """
                        SELECT d.id, d.title, d.author_id, d.version, d.created_at, d.updated_at
                        FROM documents d
                        LEFT JOIN document_members m ON m.document_id = d.id AND m.role = 'owner'
                        LEFT JOIN known_users u ON u.id = m.user_id
                        WHERE d.title ILIKE ?1 ESCAPE '\\' OR u.name ILIKE ?2 ESCAPE '\\' OR m.user_id = ?3
                        ORDER BY d.updated_at DESC, d.id
                        """)
                .setParameter(1, "%" + literal(text) + "%")
                .setParameter(2, "%" + literal(text) + "%")
                .setParameter(3, text)
                .setFirstResult(offset)
                .setMaxResults(limit)
                .getResultList();
        return rows.stream().map(row -> summary((Object[]) row)).toList();
    }

    /** The text as a LIKE pattern matching itself: its wildcards escaped. */
    static String literal(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    private static DocumentSummary summary(Object[] row) {
        return new DocumentSummary(
                UUID.fromString(String.valueOf(row[0])),
                (String) row[1],
                row[2] == null ? null : UUID.fromString(String.valueOf(row[2])),
                row[3] == null ? 0 : ((Number) row[3]).longValue(),
                time(row[4]),
                time(row[5]));
    }

    private static LocalDateTime time(Object value) {
        return value instanceof Timestamp timestamp ? timestamp.toLocalDateTime() : (LocalDateTime) value;
    }
}
