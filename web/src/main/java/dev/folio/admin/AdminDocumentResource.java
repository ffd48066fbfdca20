package dev.folio.admin;

import dev.folio.access.DocumentAccess;
import dev.folio.auth.KnownUsers;
import dev.folio.auth.rest.Callers;
import jakarta.ejb.EJB;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** What an administrator does to one document; every change is in the audit log. */
@Path("admin/documents/{id}")
@Produces(MediaType.APPLICATION_JSON)
@AdminOnly
public class AdminDocumentResource {

    @Inject
    DocumentOperations operations;

    @EJB
    Administration administration;

    @EJB
    DocumentAccess access;

    @EJB
    SnapshotsOnDemand snapshots;

    @EJB
    KnownUsers users;

    @Context
    SecurityContext security;

    @DELETE
    @Operation(summary = "Deletes any document; its editors are told and disconnected")
    public Response delete(@PathParam("id") String id) {
        operations.delete(Callers.of(security), AdminInput.document(id));
        return Response.noContent().build();
    }

    @POST
    @Path("close-sessions")
    @Operation(summary = "Closes the document's sessions on every node; their clients join again")
    public Response closeSessions(@PathParam("id") String id) {
        return done(operations.closeSessions(Callers.of(security), AdminInput.document(id)));
    }

    @POST
    @Path("reload")
    @Operation(summary = "Unloads the document on every node: the next join reads it anew from its snapshot and log")
    public Response reload(@PathParam("id") String id) {
        return done(operations.reload(Callers.of(security), AdminInput.document(id)));
    }

    @POST
    @Path("snapshot")
    @Operation(
            summary = "Takes the document's snapshot now, at its live version (the log's end), whichever nodes have"
                    + " it open: {version, logOffset, previousVersion, written}")
    public Response snapshot(@PathParam("id") String id) {
        SnapshotsOnDemand.Taken taken = snapshots.takeNow(Callers.of(security), AdminInput.document(id));
        return Response.ok(Json.createObjectBuilder()
                        .add("version", taken.version())
                        .add("logOffset", taken.logOffset())
                        .add("previousVersion", taken.previousVersion())
                        .add("written", taken.written())
                        .build())
                .build();
    }

    @GET
    @Path("members")
    @Operation(summary = "Who the document is shared with: [{userId, name, role}], the owner first")
    public Response members(@PathParam("id") String id) {
        UUID documentId = AdminInput.document(id);
        administration.requireDocument(documentId);
        Map<String, String> names = users.namesById();
        JsonArrayBuilder members = Json.createArrayBuilder();
        access.members(documentId).forEach(member -> members.add(member(member, names)));
        return Response.ok(members.build()).build();
    }

    @PUT
    @Path("members/{userId}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Gives a user a role on the document: {\"role\": \"editor\" | \"viewer\"}")
    public Response setRole(@PathParam("id") String id, @PathParam("userId") String userId, String body) {
        DocumentAccess.Member member = administration.setRole(
                Callers.of(security), AdminInput.document(id), AdminInput.userId(userId), AdminInput.role(body));
        return Response.ok(member(member, users.namesById()).build()).build();
    }

    @DELETE
    @Path("members/{userId}")
    @Operation(summary = "Takes the document away from a member (not the owner)")
    public Response removeMember(@PathParam("id") String id, @PathParam("userId") String userId) {
        administration.removeMember(Callers.of(security), AdminInput.document(id), AdminInput.userId(userId));
        return Response.noContent().build();
    }

    private static Response done(DocumentOperations.Done done) {
        return Response.ok(Json.createObjectBuilder()
                        .add("node", done.node())
                        .add("sessionsClosedHere", done.sessionsClosedHere())
                        .add("otherNodesTold", done.otherNodesTold())
                        .build())
                .build();
    }

    private static JsonObjectBuilder member(DocumentAccess.Member member, Map<String, String> names) {
        return Json.createObjectBuilder()
                .add("userId", member.userId())
                .add("name", names.getOrDefault(member.userId(), member.userId()))
                .add("role", member.role().label());
    }
}
