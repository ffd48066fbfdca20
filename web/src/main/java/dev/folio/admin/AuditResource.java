package dev.folio.admin;

import dev.folio.audit.AuditLog;
import dev.folio.audit.AuditRecord;
import dev.folio.web.Page;
import dev.folio.web.Problems;
import jakarta.ejb.EJB;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.Response.Status;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** The audit log, newest first, page by page. */
@Path("admin/audit")
@Produces(MediaType.APPLICATION_JSON)
@AdminOnly
public class AuditResource {

    @EJB
    AuditLog audit;

    @GET
    @Operation(
            summary = "What administrators did, newest first: {total, entries: [{at, actorId, actorName, action,"
                    + " target, detail, node}]}; ?offset= and ?limit= page it")
    public Response entries(@QueryParam("offset") String offset, @QueryParam("limit") String limit) {
        Page page = Page.of(offset, limit).orElse(null);
        if (page == null) {
            return Problems.problem(Status.BAD_REQUEST, "bad-request", Page.RULE);
        }
        JsonArrayBuilder entries = Json.createArrayBuilder();
        for (AuditRecord entry : audit.newest(page.offset(), page.limit())) {
            entries.add(Json.createObjectBuilder()
                    .add("id", entry.id())
                    .add("at", entry.at().toString())
                    .add("actorId", entry.actorId())
                    .add("actorName", entry.actorName())
                    .add("action", entry.action())
                    .add("target", entry.target())
                    .add("detail", entry.detail())
                    .add("node", entry.node()));
        }
        return Response.ok(Json.createObjectBuilder()
                        .add("total", audit.count())
                        .add("offset", page.offset())
                        .add("entries", entries)
                        .build())
                .build();
    }
}
