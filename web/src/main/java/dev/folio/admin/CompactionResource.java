package dev.folio.admin;

import dev.folio.access.Caller;
import dev.folio.archive.CompactionJob;
import dev.folio.audit.AuditAction;
import dev.folio.audit.AuditLog;
import dev.folio.audit.AuditTarget;
import dev.folio.auth.rest.Callers;
import dev.folio.web.Problems;
import jakarta.ejb.EJB;
import jakarta.json.Json;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.Response.Status;
import jakarta.ws.rs.core.SecurityContext;
import java.util.UUID;
import java.util.logging.Logger;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Runs compaction now, for operators and the tests, instead of waiting for the next scheduled run
 * (docs/operations.md, "Compaction and the archive"). Admins only; the run is the job's own, so it
 * takes the same leases and counts in the same metrics.
 */
@Path("admin/compaction")
@Produces(MediaType.APPLICATION_JSON)
public class CompactionResource {

    private static final Logger LOG = Logger.getLogger(CompactionResource.class.getName());

    @EJB
    CompactionJob job;

    @EJB
    AuditLog audit;

    @Context
    SecurityContext security;

    @POST
    @Operation(summary = "Compact one document (?document=<id>) or every document now; returns what the run did")
    public Response compact(@QueryParam("document") String document) {
        Caller caller = Callers.of(security);
        if (!caller.isAdmin()) {
            LOG.info(() -> caller + " asked for a compaction run without the admin group");
            return Problems.problem(Status.FORBIDDEN, "forbidden", "compaction needs the group " + Caller.ADMIN);
        }
        UUID documentId;
        try {
            documentId = document == null ? null : UUID.fromString(document);
        } catch (IllegalArgumentException e) {
            return Problems.problem(Status.BAD_REQUEST, "bad-request", "document must be a document id");
        }
        LOG.info(() -> caller + " runs compaction for " + (documentId == null ? "every document" : documentId));
        CompactionJob.Run run = documentId == null ? job.compactAll() : job.compact(documentId);
        audit.record(
                caller,
                AuditAction.COMPACTION_RUN,
                documentId == null ? "compaction" : AuditTarget.document(documentId),
                run.documents() + " documents, " + run.archivedEvents() + " events archived in " + run.archives()
                        + " archives, " + run.failures() + " failures");
        return Response.ok(Json.createObjectBuilder()
                        .add("documents", run.documents())
                        .add("archivedEvents", run.archivedEvents())
                        .add("archives", run.archives())
                        .add("failures", run.failures())
                        .build())
                .build();
    }
}
