package dev.folio.document.rest;

import dev.folio.access.Caller;
import dev.folio.access.DocumentAccess;
import dev.folio.access.DocumentRole;
import dev.folio.access.MemberLimitException;
import dev.folio.auth.KnownUsers;
import dev.folio.auth.rest.Callers;
import dev.folio.document.DocumentLimitException;
import dev.folio.document.DocumentManager;
import dev.folio.document.DocumentSummary;
import dev.folio.document.DocumentView;
import dev.folio.document.Limits;
import dev.folio.document.SharedDocument;
import dev.folio.web.Page;
import dev.folio.web.Problems;
import jakarta.ejb.EJB;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.Response.Status;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.logging.Logger;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Create, list, read, share and delete documents, each as its caller may (docs/security.md):
 * members only see a document, its owner shares and deletes it. Reads carry the version as ETag.
 */
@Path("documents")
@Produces(MediaType.APPLICATION_JSON)
public class DocumentsResource {

    private static final Logger LOG = Logger.getLogger(DocumentsResource.class.getName());

    @EJB
    DocumentManager manager;

    @EJB
    DocumentAccess access;

    @EJB
    KnownUsers users;

    @Inject
    Limits limits;

    @Context
    SecurityContext security;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Creates an empty document owned by the caller: {\"title\": \"...\"}")
    public Response create(String text, @Context UriInfo uri) {
        Caller caller = Callers.of(security);
        if (!caller.mayCreateDocuments()) {
            return problem(Status.FORBIDDEN, "forbidden", "creating documents needs the group " + Caller.WRITER);
        }
        String title = DocumentInput.newTitle(text);
        DocumentSummary created;
        try {
            created = manager.create(title, caller.id());
        } catch (DocumentLimitException e) {
            return problem(Status.FORBIDDEN, "document-limit", e.getMessage());
        }
        return Response.created(uri.getAbsolutePathBuilder()
                        .path(created.id().toString())
                        .build())
                .entity(DocumentJson.summary(created)
                        .add("role", DocumentRole.OWNER.label())
                        .build())
                .build();
    }

    @GET
    @Operation(
            summary = "Lists the caller's documents (shared with them), most recently updated first, with their role")
    public Response list(@QueryParam("offset") String offset, @QueryParam("limit") String limit) {
        Optional<Page> page = Page.of(offset, limit);
        if (page.isEmpty()) {
            return problem(Status.BAD_REQUEST, "bad-request", Page.RULE);
        }
        JsonArrayBuilder documents = Json.createArrayBuilder();
        for (SharedDocument shared : manager.listFor(
                Callers.of(security).id(), page.get().offset(), page.get().limit())) {
            documents.add(DocumentJson.summary(shared.summary())
                    .add("role", shared.role().label()));
        }
        return Response.ok(documents.build()).build();
    }

    @GET
    @Path("{id}")
    @Operation(summary = "A document's metadata, text and version; the ETag is the version")
    public Response read(@PathParam("id") String id, @Context Request request) {
        Optional<UUID> documentId = parse(id);
        Optional<DocumentRole> role = documentId.flatMap(this::callerRole);
        if (role.isEmpty()) {
            return noAccess(documentId, id);
        }
        Optional<DocumentView> found = documentId.flatMap(manager::view);
        if (found.isEmpty()) {
            return problem(Status.NOT_FOUND, "unknown-document", "no document " + id);
        }
        DocumentView view = found.get();
        if (view.text() == null) {
            return Response.fromResponse(problem(
                            Status.SERVICE_UNAVAILABLE, "busy", "the document is being edited heavily; read it again"))
                    .header("Retry-After", "1")
                    .build();
        }
        // Weak: the version names the text; updatedAt may still move when a snapshot is written.
        EntityTag tag = new EntityTag(Long.toString(view.summary().version()), true);
        Response.ResponseBuilder notModified = request.evaluatePreconditions(tag);
        if (notModified != null) {
            return notModified.build();
        }
        JsonObject body = DocumentJson.summary(view.summary())
                .add("role", role.get().label())
                .add("length", view.length())
                .add("text", view.text())
                .build();
        return Response.ok(body).tag(tag).build();
    }

    @DELETE
    @Path("{id}")
    @Operation(summary = "Deletes a document (its owner only); its editors are told and disconnected")
    public Response delete(@PathParam("id") String id) {
        Optional<UUID> documentId = parse(id);
        Optional<DocumentRole> role = documentId.flatMap(this::callerRole);
        if (role.isEmpty()) {
            return noAccess(documentId, id);
        }
        if (!role.get().mayShare()) {
            return problem(Status.FORBIDDEN, "forbidden", "only the owner deletes a document");
        }
        boolean deleted = manager.delete(documentId.get());
        return deleted
                ? Response.noContent().build()
                : problem(Status.NOT_FOUND, "unknown-document", "no document " + id);
    }

    @GET
    @Path("{id}/members")
    @Operation(summary = "Who the document is shared with: [{userId, name, role}], the owner first")
    public Response members(@PathParam("id") String id) {
        Optional<UUID> documentId = parse(id);
        if (documentId.flatMap(this::callerRole).isEmpty()) {
            return noAccess(documentId, id);
        }
        Map<String, String> names = users.namesById();
        JsonArrayBuilder members = Json.createArrayBuilder();
        access.members(documentId.get()).forEach(member -> members.add(member(member, names)));
        return Response.ok(members.build()).build();
    }

    @PUT
    @Path("{id}/members/{userId}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Shares the document with a user, or changes their role: {\"role\": \"editor\" | \"viewer\"}")
    public Response share(@PathParam("id") String id, @PathParam("userId") String userId, String text) {
        Optional<UUID> documentId = parse(id);
        Response refused = refusedUnlessOwner(documentId, id);
        if (refused != null) {
            return refused;
        }
        DocumentRole role = DocumentInput.sharedRole(text);
        DocumentInput.userId(userId);
        Optional<DocumentRole> current = access.role(documentId.get(), userId);
        if (current.filter(DocumentRole.OWNER::equals).isPresent()) {
            return problem(Status.CONFLICT, "owner", "the owner's role does not change");
        }
        if (current.isEmpty() && !users.isKnown(userId)) {
            // Members are people: an id nobody signed in with (`../../admin`) would be a member of nothing.
            return problem(Status.NOT_FOUND, "unknown-user", "nobody with this id has signed in here");
        }
        DocumentAccess.Member member;
        try {
            member = access.share(documentId.get(), userId, role, limits.maxMembersPerDocument());
        } catch (MemberLimitException e) {
            return problem(Status.FORBIDDEN, "member-limit", e.getMessage());
        }
        LOG.info(() -> "document " + id + " shared with user " + userId + " as "
                + member.role().label() + " by user " + Callers.of(security).id());
        return Response.ok(member(member, users.namesById()).build()).build();
    }

    @DELETE
    @Path("{id}/members/{userId}")
    @Operation(summary = "Stops sharing the document with a user (not the owner)")
    public Response unshare(@PathParam("id") String id, @PathParam("userId") String userId) {
        DocumentInput.userId(userId);
        Optional<UUID> documentId = parse(id);
        Response refused = refusedUnlessOwner(documentId, id);
        if (refused != null) {
            return refused;
        }
        if (access.role(documentId.get(), userId)
                .filter(DocumentRole.OWNER::equals)
                .isPresent()) {
            return problem(Status.CONFLICT, "owner", "the owner cannot be removed");
        }
        if (!access.unshare(documentId.get(), userId)) {
            return problem(Status.NOT_FOUND, "unknown-member", "the document is not shared with " + userId);
        }
        LOG.info(() -> "document " + id + " no longer shared with user " + userId);
        return Response.noContent().build();
    }

    private Optional<DocumentRole> callerRole(UUID documentId) {
        return access.role(documentId, Callers.of(security).id());
    }

    /** 404 for a document that does not exist, 403 for one that is not shared with the caller. */
    private Response noAccess(Optional<UUID> documentId, String id) {
        if (documentId.isEmpty() || !manager.exists(documentId.get())) {
            return problem(Status.NOT_FOUND, "unknown-document", "no document " + id);
        }
        return problem(Status.FORBIDDEN, "forbidden", "this document is not shared with you");
    }

    private Response refusedUnlessOwner(Optional<UUID> documentId, String id) {
        Optional<DocumentRole> role = documentId.flatMap(this::callerRole);
        if (role.isEmpty()) {
            return noAccess(documentId, id);
        }
        return role.get().mayShare()
                ? null
                : problem(Status.FORBIDDEN, "forbidden", "only the owner shares a document");
    }

    private static JsonObjectBuilder member(DocumentAccess.Member member, Map<String, String> names) {
        return Json.createObjectBuilder()
                .add("userId", member.userId())
                .add("name", names.getOrDefault(member.userId(), member.userId()))
                .add("role", member.role().label());
    }

    static Optional<UUID> parse(String id) {
        try {
            return Optional.of(UUID.fromString(id));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    static Response problem(Status status, String code, String message) {
        return Problems.problem(status, code, message);
    }
}
