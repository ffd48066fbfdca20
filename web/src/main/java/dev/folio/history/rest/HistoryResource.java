package dev.folio.history.rest;

import dev.folio.history.History;
import dev.folio.history.PastVersion;
import dev.folio.web.Page;
import dev.folio.web.Problems;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.Response.Status;
import jakarta.ws.rs.core.SecurityContext;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** A document's versions, newest first, for its members (docs/operations.md, "History and restore"). */
@Path("documents/{id}/history")
@Produces(MediaType.APPLICATION_JSON)
public class HistoryResource {

    @Inject
    History history;

    @Inject
    PastCalls calls;

    @Context
    SecurityContext security;

    @GET
    @Operation(
            summary = "A document's versions, newest first, paged (?offset=&limit=): {total, versions: [{version,"
                    + " offset, editorId, at, length, inserted, deleted}]}")
    public Response versions(
            @PathParam("id") String id, @QueryParam("offset") String offset, @QueryParam("limit") String limit) {
        Optional<Page> page = Page.of(offset, limit);
        if (page.isEmpty()) {
            return Problems.problem(Status.BAD_REQUEST, "bad-request", Page.RULE);
        }
        return calls.answer(id, security, PastCalls.Needs.VIEW, document -> {
            List<PastVersion> versions = history.versions(document);
            JsonArrayBuilder listed = Json.createArrayBuilder();
            int from = versions.size() - 1 - page.get().offset();
            for (int i = from; i >= 0 && i > from - page.get().limit(); i--) {
                listed.add(json(versions.get(i)));
            }
            return Response.ok(Json.createObjectBuilder()
                            .add("total", versions.size())
                            .add("versions", listed)
                            .build())
                    .build();
        });
    }

    private static JsonObjectBuilder json(PastVersion version) {
        JsonObjectBuilder json =
                Json.createObjectBuilder().add("version", version.version()).add("offset", version.offset());
        if (version.editorId() != null) {
            json.add("editorId", version.editorId());
        }
        if (version.at() != null) {
            json.add("at", version.at().toString());
        }
        return json.add("length", version.length())
                .add("inserted", version.inserted())
                .add("deleted", version.deleted());
    }
}
