package dev.folio.admin;

import dev.folio.auth.rest.Callers;
import jakarta.ejb.EJB;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** What an administrator does to a user; every change is in the audit log. */
@Path("admin/users/{userId}")
@Produces(MediaType.APPLICATION_JSON)
@AdminOnly
public class AdminUserResource {

    @EJB
    Administration administration;

    @Context
    SecurityContext security;

    @POST
    @Path("sign-out")
    @Operation(summary = "Revokes every token of the user issued until now, on every node")
    public Response signOut(@PathParam("userId") String userId) {
        administration.signOutEverywhere(Callers.of(security), AdminInput.userId(userId));
        return Response.noContent().build();
    }
}
