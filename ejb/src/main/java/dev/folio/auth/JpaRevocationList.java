package dev.folio.auth;

import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/** The revocation list in PostgreSQL: {@code revoked_tokens} and {@code user_sign_outs}. */
@Stateless
public class JpaRevocationList implements RevocationList {

    @PersistenceContext(unitName = "folio")
    EntityManager em;

    @Override
    public boolean revoke(String tokenId, Instant expiresAt) {
        return em.createNativeQuery(
                                "INSERT INTO revoked_tokens (jti, expires_at) VALUES (?1, ?2) ON CONFLICT (jti) DO NOTHING")
                        .setParameter(1, tokenId)
                        .setParameter(2, utc(expiresAt))
                        .executeUpdate()
                == 1;
    }

    @Override
    public void signOutEverywhere(String userId, Instant at) {
        em.createNativeQuery("INSERT INTO user_sign_outs (user_id, signed_out_at) VALUES (?1, ?2)"
                        + " ON CONFLICT (user_id) DO UPDATE SET signed_out_at = GREATEST(user_sign_outs.signed_out_at,"
                        + " EXCLUDED.signed_out_at)")
                .setParameter(1, userId)
                .setParameter(2, utc(at))
                .executeUpdate();
    }

    @Override
    public boolean isRevoked(String tokenId, String userId, Instant issuedAt) {
        // Tokens carry whole seconds: one issued in the second of a sign-out counts as before it.
        return !em.createNativeQuery("SELECT 1 FROM revoked_tokens WHERE jti = ?1 UNION ALL"
                        + " SELECT 1 FROM user_sign_outs WHERE user_id = ?2 AND signed_out_at >= ?3")
                .setParameter(1, tokenId)
                .setParameter(2, userId)
                .setParameter(3, utc(issuedAt))
                .setMaxResults(1)
                .getResultList()
                .isEmpty();
    }

    @Override
    public int forgetExpired(Instant before) {
        return em.createNativeQuery("DELETE FROM revoked_tokens WHERE expires_at < ?1")
                .setParameter(1, utc(before))
                .executeUpdate();
    }

    private static LocalDateTime utc(Instant instant) {
        return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
