package dev.folio.admin;

import dev.folio.access.Caller;
import dev.folio.access.DocumentAccess;
import dev.folio.auth.KnownUsers;
import dev.folio.auth.SignInLimit;
import dev.folio.document.DocumentManager;
import dev.folio.document.DocumentSummary;
import dev.folio.document.Limits;
import dev.folio.document.rest.DocumentJson;
import dev.folio.document.socket.OpenSessions;
import dev.folio.web.Page;
import dev.folio.web.Problems;
import jakarta.ejb.EJB;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.Response.Status;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** The admin console's API: every call needs the group {@value Caller#ADMIN}, or gets 403. */
@Path("admin")
@Produces(MediaType.APPLICATION_JSON)
@AdminOnly
public class AdminResource {

    @EJB
    DocumentManager manager;

    @EJB
    DocumentAccess access;

    @EJB
    KnownUsers users;

    @EJB
    DocumentDirectory directory;

    @Inject
    OpenSessions sessions;

    @Inject
    Limits limits;

    @Inject
    NodesView nodesView;

    @Inject
    SignInLimit signInLimit;

    @Inject
    @ConfigProperty(name = "folio.node.name", defaultValue = "")
    String nodeName;

    @GET
    @Path("documents")
    @Operation(
            summary = "Every document, most recently updated first, with its owner, members and sessions by node;"
                    + " ?q= finds those whose title or owner contains it")
    public Response documents(
            @QueryParam("offset") String offset, @QueryParam("limit") String limit, @QueryParam("q") String query) {
        Optional<Page> page = Page.of(offset, limit);
        if (page.isEmpty()) {
            return Problems.problem(Status.BAD_REQUEST, "bad-request", Page.RULE);
        }
        String search = AdminInput.search(query);
        List<DocumentSummary> documents = search == null
                ? manager.list(page.get().offset(), page.get().limit())
                : directory.search(search, page.get().offset(), page.get().limit());
        Map<String, String> names = users.namesById();
        Map<UUID, Map<String, Integer>> sessions = nodesView.sessions(Instant.now());
        JsonArrayBuilder list = Json.createArrayBuilder();
        for (DocumentSummary document : documents) {
            List<DocumentAccess.Member> members = access.members(document.id());
            JsonObjectBuilder entry = DocumentJson.summary(document)
                    .add("members", members.size())
                    .add("sessions", NodesView.sessionsByNode(sessions.getOrDefault(document.id(), Map.of())));
            members.stream()
                    .filter(member -> member.role() == dev.folio.access.DocumentRole.OWNER)
                    .findFirst()
                    .ifPresent(owner -> entry.add("ownerId", owner.userId())
                            .add("ownerName", names.getOrDefault(owner.userId(), owner.userId())));
            list.add(entry);
        }
        return Response.ok(list.build()).build();
    }

    @GET
    @Path("limits")
    @Operation(summary = "The limits in force on this node, by configuration name")
    public Response limits() {
        JsonObjectBuilder json = Json.createObjectBuilder();
        limits.byName().forEach((name, value) -> json.add(name, value.longValue()));
        signInLimit.byName().forEach((name, value) -> json.add(name, value.longValue()));
        return Response.ok(json.build()).build();
    }

    @GET
    @Path("nodes")
    @Operation(summary = "Every node heard from lately, with its open documents, sessions, heap and CPU")
    public Response nodes() {
        return Response.ok(nodesView.nodes(Instant.now())).build();
    }

    @GET
    @Path("sessions")
    @Operation(summary = "WebSocket sessions open on this node, and how many users they belong to")
    public Response sessions() {
        return Response.ok(Json.createObjectBuilder()
                        .add("node", nodeName)
                        .add("sessions", sessions.count())
                        .add("users", sessions.users())
                        .build())
                .build();
    }
}
