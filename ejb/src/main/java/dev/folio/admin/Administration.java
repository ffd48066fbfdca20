package dev.folio.admin;

import dev.folio.access.Caller;
import dev.folio.access.DocumentAccess;
import dev.folio.access.DocumentRole;
import dev.folio.access.MemberLimitException;
import dev.folio.admin.RefusedActionException.Reason;
import dev.folio.audit.AuditAction;
import dev.folio.audit.AuditLog;
import dev.folio.audit.AuditTarget;
import dev.folio.auth.KnownUsers;
import dev.folio.auth.RevocationList;
import dev.folio.document.DocumentManager;
import dev.folio.document.Limits;
import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.UUID;
import java.util.logging.Logger;

/**
 * The administrators' actions that are database transactions: each checks its input, acts, and
 * writes its audit entry in the one transaction, so an action is stored with its entry or not at
 * all. Refusals change nothing ({@link RefusedActionException}).
 */
@Stateless
public class Administration {

    private static final Logger LOG = Logger.getLogger(Administration.class.getName());

    @EJB
    DocumentAccess access;

    @EJB
    DocumentManager documents;

    @EJB
    KnownUsers users;

    @EJB
    RevocationList revocations;

    @EJB
    AuditLog audit;

    @Inject
    Limits limits;

    /** Gives a user a role on a document (editor or viewer), sharing it with them if needed. */
    public DocumentAccess.Member setRole(Caller admin, UUID documentId, String userId, DocumentRole role) {
        requireDocument(documentId);
        DocumentRole current = access.role(documentId, userId).orElse(null);
        if (current == DocumentRole.OWNER) {
            throw new RefusedActionException(Reason.CONFLICT, "owner", "the owner's role does not change");
        }
        if (current == null && !users.isKnown(userId)) {
            throw new RefusedActionException(Reason.UNKNOWN, "unknown-user", "nobody with this id has signed in here");
        }
        DocumentAccess.Member member;
        try {
            member = access.share(documentId, userId, role, limits.maxMembersPerDocument());
        } catch (MemberLimitException e) {
            throw new RefusedActionException(Reason.LIMIT, "member-limit", e.getMessage());
        }
        String was = current == null ? "not a member" : current.label();
        audit.record(
                admin,
                AuditAction.MEMBER_SET,
                AuditTarget.document(documentId),
                userId + ": " + was + " → " + role.label());
        LOG.info(() -> "document " + documentId + ": user " + userId + " made " + role.label()
                + " by the administrator " + admin);
        return member;
    }

    /** Takes a document away from a member (not its owner). */
    public void removeMember(Caller admin, UUID documentId, String userId) {
        requireDocument(documentId);
        DocumentRole current = access.role(documentId, userId)
                .orElseThrow(() -> new RefusedActionException(
                        Reason.UNKNOWN, "unknown-member", "the document is not shared with " + userId));
        if (current == DocumentRole.OWNER) {
            throw new RefusedActionException(Reason.CONFLICT, "owner", "the owner cannot be removed");
        }
        access.unshare(documentId, userId);
        audit.record(
                admin,
                AuditAction.MEMBER_REMOVE,
                AuditTarget.document(documentId),
                userId + " (was " + current.label() + ")");
        LOG.info(() -> "document " + documentId + ": user " + userId + " removed by the administrator " + admin);
    }

    /**
     * Revokes every token the user holds now, on every node. Any user id is taken, known here or
     * not: a token stolen before its owner ever called this server must stop working too.
     */
    public void signOutEverywhere(Caller admin, String userId) {
        revocations.signOutEverywhere(userId, Instant.now());
        audit.record(admin, AuditAction.USER_SIGN_OUT, AuditTarget.user(userId), "every token issued until now");
        LOG.info(() -> "user " + userId + " signed out everywhere by the administrator " + admin);
    }

    /** A document that exists, or a refusal naming it. */
    public void requireDocument(UUID documentId) {
        if (!documents.exists(documentId)) {
            throw new RefusedActionException(Reason.UNKNOWN, "unknown-document", "no document " + documentId);
        }
    }
}
