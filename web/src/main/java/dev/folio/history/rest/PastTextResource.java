package dev.folio.history.rest;

import dev.folio.history.History;
import dev.folio.history.PastText;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** A document's text as it was, for its members. */
@Path("documents/{id}/text")
@Produces(MediaType.APPLICATION_JSON)
public class PastTextResource {

    @Inject
    History history;

    @Inject
    PastCalls calls;

    @Context
    SecurityContext security;

    @GET
    @Operation(
            summary = "The text as it was at ?version=N, ?offset=N or ?at=<ISO-8601 time>: {version, offset, at,"
                    + " length, text}")
    public Response text(
            @PathParam("id") String id,
            @QueryParam("version") String version,
            @QueryParam("offset") String offset,
            @QueryParam("at") String at) {
        return calls.answer(id, security, PastCalls.Needs.VIEW, document -> Response.ok(
                        json(history.textAt(document, PastPoints.of(version, offset, at)))
                                .build())
                .build());
    }

    static JsonObjectBuilder json(PastText past) {
        JsonObjectBuilder json =
                Json.createObjectBuilder().add("version", past.version()).add("offset", past.offset());
        if (past.at() != null) {
            json.add("at", past.at().toString());
        }
        return json.add("length", past.text().codePointCount(0, past.text().length()))
                .add("text", past.text());
    }
}
