package dev.folio.admin;

import dev.folio.access.Caller;
import dev.folio.access.DocumentAccess;
import dev.folio.auth.KnownUsers;
import dev.folio.auth.RevocationList;
import dev.folio.auth.SignInLimit;
import dev.folio.auth.rest.Callers;
import dev.folio.cluster.ClusterView;
import dev.folio.cluster.NodeStatus;
import dev.folio.document.DocumentManager;
import dev.folio.document.DocumentSummary;
import dev.folio.document.Limits;
import dev.folio.document.socket.OpenSessions;
import dev.folio.web.Page;
import dev.folio.web.Problems;
import jakarta.ejb.EJB;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.Response.Status;
import jakarta.ws.rs.core.SecurityContext;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** The admin console's API: every call needs the group {@value Caller#ADMIN}, or gets 403. */
@Path("admin")
@Produces(MediaType.APPLICATION_JSON)
public class AdminResource {

    private static final Logger LOG = Logger.getLogger(AdminResource.class.getName());

    @EJB
    DocumentManager manager;

    @EJB
    DocumentAccess access;

    @EJB
    KnownUsers users;

    @EJB
    RevocationList revocations;

    @Inject
    OpenSessions sessions;

    @Inject
    Limits limits;

    @Inject
    ClusterView cluster;

    @Inject
    SignInLimit signInLimit;

    @Inject
    @ConfigProperty(name = "folio.node.name", defaultValue = "")
    String nodeName;

    @Context
    SecurityContext security;

    @GET
    @Path("documents")
    @Operation(summary = "Every document, most recently updated first, with its owner and members")
    public Response documents(@QueryParam("offset") String offset, @QueryParam("limit") String limit) {
        Response refused = refusedUnlessAdmin();
        if (refused != null) {
            return refused;
        }
        Optional<Page> page = Page.of(offset, limit);
        if (page.isEmpty()) {
            return Problems.problem(Status.BAD_REQUEST, "bad-request", Page.RULE);
        }
        List<DocumentSummary> documents =
                manager.list(page.get().offset(), page.get().limit());
        Map<String, String> names = users.namesById();
        JsonArrayBuilder list = Json.createArrayBuilder();
        for (DocumentSummary document : documents) {
            List<DocumentAccess.Member> members = access.members(document.id());
            JsonObjectBuilder entry = Json.createObjectBuilder()
                    .add("id", document.id().toString())
                    .add("title", document.title())
                    .add("version", document.version())
                    .add(
                            "updatedAt",
                            document.updatedAt().toInstant(ZoneOffset.UTC).toString())
                    .add("members", members.size());
            members.stream()
                    .filter(member -> member.role() == dev.folio.access.DocumentRole.OWNER)
                    .findFirst()
                    .ifPresent(owner -> entry.add("ownerId", owner.userId())
                            .add("ownerName", names.getOrDefault(owner.userId(), owner.userId())));
            list.add(entry);
        }
        return Response.ok(list.build()).build();
    }

    @DELETE
    @Path("documents/{id}")
    @Operation(summary = "Deletes any document; its editors are told and disconnected")
    public Response delete(@PathParam("id") String id) {
        Response refused = refusedUnlessAdmin();
        if (refused != null) {
            return refused;
        }
        UUID documentId;
        try {
            documentId = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            return Problems.problem(Status.NOT_FOUND, "unknown-document", "no document " + id);
        }
        if (!manager.delete(documentId)) {
            return Problems.problem(Status.NOT_FOUND, "unknown-document", "no document " + id);
        }
        LOG.info(() -> "document " + id + " deleted by the administrator " + Callers.of(security));
        return Response.noContent().build();
    }

    @POST
    @Path("users/{userId}/sign-out")
    @Operation(summary = "Revokes every token of the user issued until now, on every node")
    public Response signOut(@PathParam("userId") String userId) {
        Response refused = refusedUnlessAdmin();
        if (refused != null) {
            return refused;
        }
        if (userId.isBlank() || userId.length() > 255 || userId.codePoints().anyMatch(Character::isISOControl)) {
            return Problems.problem(Status.BAD_REQUEST, "bad-request", "a user id has 1 to 255 characters");
        }
        revocations.signOutEverywhere(userId, Instant.now());
        LOG.info(() -> "user " + userId + " signed out everywhere by the administrator " + Callers.of(security));
        return Response.noContent().build();
    }

    @GET
    @Path("limits")
    @Operation(summary = "The limits in force on this node, by configuration name")
    public Response limits() {
        Response refused = refusedUnlessAdmin();
        if (refused != null) {
            return refused;
        }
        JsonObjectBuilder json = Json.createObjectBuilder();
        limits.byName().forEach((name, value) -> json.add(name, value.longValue()));
        signInLimit.byName().forEach((name, value) -> json.add(name, value.longValue()));
        return Response.ok(json.build()).build();
    }

    @GET
    @Path("nodes")
    @Operation(summary = "Every node heard from lately, with its open documents, sessions, heap and CPU")
    public Response nodes() {
        Response refused = refusedUnlessAdmin();
        if (refused != null) {
            return refused;
        }
        Instant now = Instant.now();
        JsonArrayBuilder list = Json.createArrayBuilder();
        for (ClusterView.HeardNode heard : cluster.nodes(now)) {
            NodeStatus status = heard.status();
            list.add(Json.createObjectBuilder()
                    .add("node", status.node())
                    .add("startedAt", status.startedAt().toString())
                    .add("heardAt", heard.heardAt().toString())
                    .add("silent", heard.isSilent(now))
                    .add("openDocuments", status.openDocuments())
                    .add("sessions", status.sessions())
                    .add("heapUsedBytes", status.heapUsedBytes())
                    .add("heapMaxBytes", status.heapMaxBytes())
                    .add("cpuLoad", status.cpuLoad()));
        }
        return Response.ok(list.build()).build();
    }

    @GET
    @Path("sessions")
    @Operation(summary = "WebSocket sessions open on this node, and how many users they belong to")
    public Response sessions() {
        Response refused = refusedUnlessAdmin();
        if (refused != null) {
            return refused;
        }
        return Response.ok(Json.createObjectBuilder()
                        .add("node", nodeName)
                        .add("sessions", sessions.count())
                        .add("users", sessions.users())
                        .build())
                .build();
    }

    private Response refusedUnlessAdmin() {
        Caller caller = Callers.of(security);
        if (caller.isAdmin()) {
            return null;
        }
        LOG.info(() -> caller + " asked for the admin API without the admin group");
        return Problems.problem(Status.FORBIDDEN, "forbidden", "the admin console needs the group " + Caller.ADMIN);
    }
}
