package dev.folio.admin;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** The event pipeline, for the admin console's pipeline panel. */
@Path("admin/pipeline")
@Produces(MediaType.APPLICATION_JSON)
@AdminOnly
public class PipelineResource {

    @Inject
    PipelineView pipeline;

    @GET
    @Operation(
            summary = "This node's feed, event-log writer, bridge, refusals by code and compaction counters, and"
                    + " every live node's lags")
    public Response pipeline() {
        return Response.ok(pipeline.now()).build();
    }
}
