package dev.folio.admin;

import dev.folio.access.Caller;
import dev.folio.admin.RefusedActionException.Reason;
import dev.folio.audit.AuditAction;
import dev.folio.audit.AuditLog;
import dev.folio.audit.AuditTarget;
import dev.folio.cluster.NodeCommand;
import dev.folio.document.DocumentManager;
import dev.folio.kafka.KafkaClients;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What an administrator does to a document across the cluster: delete it, close its sessions,
 * reload it. None of these is a database transaction (they act on live sessions, on every node),
 * so each is audited once it is done; an entry that cannot be written is logged SEVERE instead.
 */
@ApplicationScoped
public class DocumentOperations {

    private static final Logger LOG = Logger.getLogger(DocumentOperations.class.getName());

    @EJB
    DocumentManager documents;

    @EJB
    Administration administration;

    @EJB
    AuditLog audit;

    @Inject
    NodeCommands commands;

    @Inject
    KafkaClients clients;

    /** What a command did: the sessions closed on this node, and whether the others were told. */
    public record Done(String node, int sessionsClosedHere, boolean otherNodesTold) {}

    public void delete(Caller admin, UUID documentId) {
        if (!documents.delete(documentId)) {
            throw new RefusedActionException(Reason.UNKNOWN, "unknown-document", "no document " + documentId);
        }
        audited(admin, AuditAction.DOCUMENT_DELETE, documentId, "deleted for everyone");
    }

    public Done closeSessions(Caller admin, UUID documentId) {
        return everywhere(admin, new NodeCommand(NodeCommand.Kind.CLOSE_SESSIONS, documentId));
    }

    public Done reload(Caller admin, UUID documentId) {
        return everywhere(admin, new NodeCommand(NodeCommand.Kind.UNLOAD, documentId));
    }

    private Done everywhere(Caller admin, NodeCommand command) {
        administration.requireDocument(command.documentId());
        NodeCommands.Outcome outcome = commands.everywhere(command);
        Done done = new Done(clients.node(), outcome.sessionsClosedHere(), outcome.othersTold());
        AuditAction action = command.kind() == NodeCommand.Kind.UNLOAD
                ? AuditAction.DOCUMENT_RELOAD
                : AuditAction.DOCUMENT_CLOSE_SESSIONS;
        audited(
                admin,
                action,
                command.documentId(),
                done.sessionsClosedHere() + " sessions closed on " + done.node()
                        + (done.otherNodesTold()
                                ? "; the other nodes were told"
                                : "; the other nodes could NOT be told"));
        return done;
    }

    private void audited(Caller admin, AuditAction action, UUID documentId, String detail) {
        try {
            audit.record(admin, action, AuditTarget.document(documentId), detail);
        } catch (RuntimeException e) {
            LOG.log(
                    Level.SEVERE,
                    "the audit log could not record that " + admin + " did " + action.label() + " to document "
                            + documentId + " (" + detail + ")",
                    e);
        }
    }
}
