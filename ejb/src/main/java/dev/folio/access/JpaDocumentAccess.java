package dev.folio.access;

import dev.folio.persistence.AdvisoryLocks;
import jakarta.ejb.Stateless;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Document members in PostgreSQL ({@code document_members}), one transaction per call. A role
 * changed or removed is an {@link AccessChange}, fired here and broadcast to the other nodes.
 */
@Stateless
public class JpaDocumentAccess implements DocumentAccess {

    @PersistenceContext(unitName = "folio")
    EntityManager em;

    @Inject
    Event<AccessChange> changes;

    @Inject
    AccessChangeBroadcast broadcast;

    @Override
    public Optional<DocumentRole> role(UUID documentId, String userId) {
        DocumentMember member = em.find(DocumentMember.class, new DocumentMember.Key(documentId, userId));
        return member == null ? Optional.empty() : DocumentRole.of(member.role());
    }

    @Override
    public List<Member> members(UUID documentId) {
        return em.createNamedQuery(DocumentMember.OF_DOCUMENT, DocumentMember.class)
                .setParameter("document", documentId)
                .getResultStream()
                .map(JpaDocumentAccess::member)
                .sorted((a, b) -> Integer.compare(a.role().ordinal(), b.role().ordinal()))
                .toList();
    }

    @Override
    public Member share(UUID documentId, String userId, DocumentRole role, int maxMembers) {
        if (role == DocumentRole.OWNER) {
            throw new IllegalArgumentException("a document has one owner, its creator");
        }
        DocumentMember member = em.find(DocumentMember.class, new DocumentMember.Key(documentId, userId));
        if (member == null) {
            refuseBeyond(documentId, maxMembers);
            member = new DocumentMember(documentId, userId, role.label());
            em.persist(member);
        } else {
            member.changeRole(role.label());
            changed(documentId, userId);
        }
        return member(member);
    }

    /** One share of a document at a time, so that parallel ones cannot all pass the count. */
    private void refuseBeyond(UUID documentId, int maxMembers) {
        AdvisoryLocks.holdUntilCommit(em, "members of " + documentId);
        long members = em.createNamedQuery(DocumentMember.COUNT_OF_DOCUMENT, Long.class)
                .setParameter("document", documentId)
                .getSingleResult();
        if (members >= maxMembers) {
            throw new MemberLimitException(maxMembers);
        }
    }

    @Override
    public boolean unshare(UUID documentId, String userId) {
        DocumentMember member = em.find(DocumentMember.class, new DocumentMember.Key(documentId, userId));
        if (member == null) {
            return false;
        }
        if (DocumentRole.OWNER.label().equals(member.role())) {
            throw new IllegalArgumentException("the owner cannot be removed");
        }
        em.remove(member);
        changed(documentId, userId);
        return true;
    }

    private void changed(UUID documentId, String userId) {
        AccessChange change = new AccessChange(documentId, userId);
        changes.fire(change);
        broadcast.publish(change);
    }

    @Override
    public long ownedCount(String userId) {
        return em.createNamedQuery(DocumentMember.OWNED_COUNT, Long.class)
                .setParameter("user", userId)
                .getSingleResult();
    }

    private static Member member(DocumentMember member) {
        return new Member(member.userId(), DocumentRole.of(member.role()).orElseThrow());
    }
}
