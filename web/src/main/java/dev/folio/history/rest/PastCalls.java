package dev.folio.history.rest;

import dev.folio.access.DocumentAccess;
import dev.folio.access.DocumentRole;
import dev.folio.archive.CorruptArchiveException;
import dev.folio.auth.rest.Callers;
import dev.folio.document.DocumentManager;
import dev.folio.document.RefusedDeltaException;
import dev.folio.document.UnknownDocumentException;
import dev.folio.history.OutsideHistoryException;
import dev.folio.history.RestoreFailedException;
import dev.folio.web.Problems;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.Response.Status;
import jakarta.ws.rs.core.SecurityContext;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * What the history's calls share: who may make them (a member; restoring needs a role that edits),
 * and their failures as problems: a point outside the history, a corrupt archive, an archive or
 * event log away, a restore that did not finish. A refusal changes nothing.
 */
@ApplicationScoped
public class PastCalls {

    private static final Logger LOG = Logger.getLogger(PastCalls.class.getName());

    @EJB
    DocumentAccess access;

    @EJB
    DocumentManager manager;

    /** Calls {@code call} with the document's id if the caller's role on it passes {@code allowed}. */
    public Response answer(String id, SecurityContext security, Needs needs, Function<UUID, Response> call) {
        Optional<UUID> documentId = parse(id);
        Optional<DocumentRole> role = documentId.flatMap(
                document -> access.role(document, Callers.of(security).id()));
        if (role.isEmpty()) {
            return documentId.isPresent() && manager.exists(documentId.get())
                    ? Problems.problem(Status.FORBIDDEN, "forbidden", "this document is not shared with you")
                    : Problems.problem(Status.NOT_FOUND, "unknown-document", "no document " + id);
        }
        if (needs == Needs.EDIT && !role.get().mayEdit()) {
            return Problems.problem(
                    Status.FORBIDDEN, "forbidden", "restoring needs the owner's or an editor's role; you are a viewer");
        }
        try {
            return call.apply(documentId.get());
        } catch (PastPoints.BadPointException e) {
            return Problems.problem(Status.BAD_REQUEST, "bad-request", e.getMessage());
        } catch (OutsideHistoryException e) {
            Status status = e.code().equals("in-the-future") ? Status.BAD_REQUEST : Status.NOT_FOUND;
            return Problems.problem(status, e.code(), e.getMessage());
        } catch (UnknownDocumentException e) {
            return Problems.problem(Status.NOT_FOUND, "unknown-document", "no document " + id);
        } catch (RefusedDeltaException e) {
            return Problems.problem(Status.CONFLICT, e.code(), e.getMessage());
        } catch (CorruptArchiveException e) {
            LOG.severe(e::getMessage);
            return Problems.problem(Status.INTERNAL_SERVER_ERROR, "corrupt-archive", e.getMessage());
        } catch (RestoreFailedException e) {
            LOG.log(Level.WARNING, "document " + id + ": a restore failed", e);
            return Problems.problem(Status.SERVICE_UNAVAILABLE, "restore-failed", e.getMessage());
        } catch (SdkException e) {
            LOG.log(Level.WARNING, "document " + id + ": its history could not be read", e);
            return Response.fromResponse(Problems.problem(
                            Status.SERVICE_UNAVAILABLE,
                            "history-unavailable",
                            "the archive or the event log cannot be reached; try again"))
                    .header("Retry-After", "5")
                    .build();
        }
    }

    /** What a call needs of the caller's role. */
    public enum Needs {
        VIEW,
        EDIT
    }

    private static Optional<UUID> parse(String id) {
        try {
            return Optional.of(UUID.fromString(id));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
