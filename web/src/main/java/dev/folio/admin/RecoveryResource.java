package dev.folio.admin;

import dev.folio.access.Caller;
import dev.folio.auth.rest.Callers;
import dev.folio.history.Recovery;
import dev.folio.web.Problems;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.Response.Status;
import jakarta.ws.rs.core.SecurityContext;
import java.util.logging.Logger;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Disaster recovery, for operators: puts back every document the database lost from the archive and
 * the event log (docs/operations.md, "Disaster recovery"). Admins only; safe to run again.
 */
@Path("admin/recovery")
@Produces(MediaType.APPLICATION_JSON)
public class RecoveryResource {

    private static final Logger LOG = Logger.getLogger(RecoveryResource.class.getName());

    @Inject
    Recovery recovery;

    @Context
    SecurityContext security;

    @POST
    @Operation(
            summary = "Rebuilds every document missing from the database from S3 and DynamoDB: {found, present,"
                    + " recovered: [{id, title, version}], failures: [...]}")
    public Response recover() {
        Caller caller = Callers.of(security);
        if (!caller.isAdmin()) {
            return Problems.problem(Status.FORBIDDEN, "forbidden", "recovery needs the group " + Caller.ADMIN);
        }
        LOG.warning(() -> caller + " runs disaster recovery");
        Recovery.Run run = recovery.recoverAll();
        JsonArrayBuilder recovered = Json.createArrayBuilder();
        run.recovered()
                .forEach(document -> recovered.add(Json.createObjectBuilder()
                        .add("id", document.documentId().toString())
                        .add("title", document.title())
                        .add("version", document.version())));
        return Response.ok(Json.createObjectBuilder()
                        .add("found", run.found())
                        .add("present", run.present())
                        .add("recovered", recovered)
                        .add("failures", Json.createArrayBuilder(run.failures()))
                        .build())
                .build();
    }
}
