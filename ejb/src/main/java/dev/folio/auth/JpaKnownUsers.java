package dev.folio.auth;

import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.List;

/** {@code known_users} in PostgreSQL. */
@Stateless
public class JpaKnownUsers implements KnownUsers {

    /** Sharing lists are for people; a deployment with more users needs a search, not a list. */
    private static final int MAX_LISTED = 1000;

    @PersistenceContext(unitName = "folio")
    EntityManager em;

    @Override
    public void remember(String id, String name) {
        em.createNativeQuery("INSERT INTO known_users (id, name, seen_at) VALUES (?1, ?2, NOW() AT TIME ZONE 'UTC')"
                        + " ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, seen_at = EXCLUDED.seen_at")
                .setParameter(1, id)
                .setParameter(2, name)
                .executeUpdate();
    }

    @Override
    public boolean isKnown(String id) {
        return !em.createNativeQuery("SELECT 1 FROM known_users WHERE id = ?1")
                .setParameter(1, id)
                .setMaxResults(1)
                .getResultList()
                .isEmpty();
    }

    @Override
    public List<Known> all() {
        List<?> rows = em.createNativeQuery("SELECT id, name FROM known_users ORDER BY name, id")
                .setMaxResults(MAX_LISTED)
                .getResultList();
        return rows.stream()
                .map(row -> (Object[]) row)
                .map(row -> new Known((String) row[0], (String) row[1]))
                .toList();
    }
}
