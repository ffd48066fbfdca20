package dev.folio.history.rest;

import dev.folio.auth.rest.Callers;
import dev.folio.history.History;
import dev.folio.web.JsonBodies;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Makes a past text the current one, as an ordinary edit of the caller (owner or editor). */
@Path("documents/{id}/restore")
@Produces(MediaType.APPLICATION_JSON)
public class RestoreResource {

    @Inject
    History history;

    @Inject
    PastCalls calls;

    @Context
    SecurityContext security;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Restores the text at {\"version\": N}, {\"offset\": N} or {\"at\": \"<ISO-8601 time>\"} as"
                    + " the current text, through the normal edit path: {restoredVersion, version, deltas}")
    public Response restore(@PathParam("id") String id, String body) {
        return calls.answer(id, security, PastCalls.Needs.EDIT, document -> {
            History.Restored restored = history.restore(
                    document,
                    PastPoints.of(JsonBodies.object(body)),
                    Callers.of(security).id());
            return Response.ok(Json.createObjectBuilder()
                            .add("restoredVersion", restored.restoredVersion())
                            .add("version", restored.version())
                            .add("deltas", restored.deltas())
                            .build())
                    .build();
        });
    }
}
