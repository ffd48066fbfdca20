package dev.folio.document.rest;

import dev.folio.document.Document;
import dev.folio.document.DocumentManager;
import dev.folio.document.DocumentSummary;
import dev.folio.document.DocumentView;
import jakarta.ejb.EJB;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.Response.Status;
import jakarta.ws.rs.core.UriInfo;
import java.io.StringReader;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Create, list, read and delete documents. Reads carry the version as ETag and must be revalidated. */
@Path("documents")
@Produces(MediaType.APPLICATION_JSON)
public class DocumentsResource {

    static final int MAX_PAGE = 500;

    @EJB
    DocumentManager manager;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Creates an empty document: {\"title\": \"...\", \"authorId\": \"<uuid>\"?}")
    public Response create(String text, @Context UriInfo uri) {
        JsonObject body = parseObject(text);
        if (body == null || !(body.get("title") instanceof JsonString title)) {
            return problem(Status.BAD_REQUEST, "the body must be a JSON object with a \"title\" string");
        }
        if (title.getString().isBlank() || title.getString().strip().length() > Document.MAX_TITLE_LENGTH) {
            return problem(Status.BAD_REQUEST, "a title has 1 to " + Document.MAX_TITLE_LENGTH + " characters");
        }
        Optional<UUID> authorId = Optional.empty();
        if (body.containsKey("authorId") && !body.isNull("authorId")) {
            authorId = body.get("authorId") instanceof JsonString s ? parse(s.getString()) : Optional.empty();
            if (authorId.isEmpty()) {
                return problem(Status.BAD_REQUEST, "\"authorId\" must be a UUID");
            }
        }
        DocumentSummary created = manager.create(title.getString(), authorId.orElse(null));
        return Response.created(uri.getAbsolutePathBuilder()
                        .path(created.id().toString())
                        .build())
                .entity(summary(created).build())
                .build();
    }

    @GET
    @Operation(summary = "Lists documents, most recently updated first")
    public Response list(
            @QueryParam("offset") @DefaultValue("0") int offset, @QueryParam("limit") @DefaultValue("100") int limit) {
        if (offset < 0 || limit < 1 || limit > MAX_PAGE) {
            return problem(Status.BAD_REQUEST, "offset >= 0 and limit from 1 to " + MAX_PAGE);
        }
        JsonArrayBuilder documents = Json.createArrayBuilder();
        manager.list(offset, limit).forEach(document -> documents.add(summary(document)));
        return Response.ok(documents.build()).cacheControl(noStore()).build();
    }

    @GET
    @Path("{id}")
    @Operation(summary = "A document's metadata, text and version; the ETag is the version")
    public Response read(@PathParam("id") String id, @Context Request request) {
        Optional<DocumentView> found = parse(id).flatMap(manager::view);
        if (found.isEmpty()) {
            return problem(Status.NOT_FOUND, "no document " + id);
        }
        DocumentView view = found.get();
        if (view.text() == null) {
            return Response.fromResponse(
                            problem(Status.SERVICE_UNAVAILABLE, "the document is being edited heavily; read it again"))
                    .header("Retry-After", "1")
                    .build();
        }
        // Weak: the version names the text; updatedAt may still move when a snapshot is written.
        EntityTag tag = new EntityTag(Long.toString(view.summary().version()), true);
        CacheControl revalidate = new CacheControl();
        revalidate.setNoCache(true);
        Response.ResponseBuilder notModified = request.evaluatePreconditions(tag);
        if (notModified != null) {
            return notModified.cacheControl(revalidate).build();
        }
        JsonObject body = summary(view.summary())
                .add("length", view.length())
                .add("text", view.text())
                .build();
        return Response.ok(body).tag(tag).cacheControl(revalidate).build();
    }

    @DELETE
    @Path("{id}")
    @Operation(summary = "Deletes a document; its editors are told and disconnected")
    public Response delete(@PathParam("id") String id) {
        boolean deleted = parse(id).map(manager::delete).orElse(false);
        return deleted ? Response.noContent().build() : problem(Status.NOT_FOUND, "no document " + id);
    }

    private static JsonObjectBuilder summary(DocumentSummary document) {
        JsonObjectBuilder json = Json.createObjectBuilder()
                .add("id", document.id().toString())
                .add("title", document.title())
                .add("version", document.version())
                .add("createdAt", utc(document.createdAt()))
                .add("updatedAt", utc(document.updatedAt()));
        if (document.authorId() != null) {
            json.add("authorId", document.authorId().toString());
        }
        return json;
    }

    /** The body as a JSON object, or null if it is not one. */
    private static JsonObject parseObject(String text) {
        try (var reader = Json.createReader(new StringReader(text == null ? "" : text))) {
            JsonValue value = reader.readValue();
            return value.getValueType() == JsonValue.ValueType.OBJECT ? value.asJsonObject() : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String utc(LocalDateTime time) {
        return DateTimeFormatter.ISO_INSTANT.format(time.toInstant(ZoneOffset.UTC));
    }

    private static Optional<UUID> parse(String id) {
        try {
            return Optional.of(UUID.fromString(id));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static CacheControl noStore() {
        CacheControl cache = new CacheControl();
        cache.setNoStore(true);
        return cache;
    }

    static Response problem(Status status, String message) {
        return Response.status(status)
                .entity(Json.createObjectBuilder()
                        .add("status", status.getStatusCode())
                        .add("error", message)
                        .build())
                .type(MediaType.APPLICATION_JSON)
                .build();
    }
}
