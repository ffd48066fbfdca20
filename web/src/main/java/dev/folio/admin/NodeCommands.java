package dev.folio.admin;

import dev.folio.cluster.NodeCommand;
import dev.folio.cluster.NodeCommandBroadcast;
import dev.folio.document.DocumentManager;
import dev.folio.document.socket.OpenSessions;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.logging.Logger;

/**
 * Carries out administrators' {@link NodeCommand}s: on this node at once, and on the others
 * through the {@link NodeCommandBroadcast}, which brings them back here as CDI events on each.
 */
@ApplicationScoped
public class NodeCommands {

    private static final Logger LOG = Logger.getLogger(NodeCommands.class.getName());

    static final String CLOSED = "an administrator closed this document's sessions; join again";

    @EJB
    DocumentManager documents;

    @Inject
    OpenSessions sessions;

    @Inject
    NodeCommandBroadcast broadcast;

    /** What a command did here, and whether the other nodes were told. */
    public record Outcome(int sessionsClosedHere, boolean othersTold) {}

    /** Runs the command here and tells the other nodes to. */
    public Outcome everywhere(NodeCommand command) {
        int closed = here(command);
        return new Outcome(closed, broadcast.publish(command));
    }

    /** A command another node was asked for. */
    void fromAnotherNode(@Observes NodeCommand command) {
        here(command);
    }

    private int here(NodeCommand command) {
        int closed = sessions.closeDocument(command.documentId(), CLOSED);
        if (command.kind() == NodeCommand.Kind.UNLOAD) {
            documents.unloadWhere(command.documentId()::equals, "an administrator asked for it to be reloaded");
        }
        LOG.info(() -> "document " + command.documentId() + ": " + command.kind() + " carried out, " + closed
                + " sessions closed here");
        return closed;
    }
}
