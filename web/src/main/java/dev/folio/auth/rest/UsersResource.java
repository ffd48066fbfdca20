package dev.folio.auth.rest;

import dev.folio.auth.KnownUsers;
import jakarta.ejb.EJB;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** The people documents can be shared with. */
@Path("users")
@Produces(MediaType.APPLICATION_JSON)
public class UsersResource {

    @EJB
    KnownUsers users;

    @GET
    @Operation(summary = "Everyone who has signed in here, and the development issuer's users: [{id, name}]")
    public JsonArray list() {
        JsonArrayBuilder list = Json.createArrayBuilder();
        users.all()
                .forEach(user ->
                        list.add(Json.createObjectBuilder().add("id", user.id()).add("name", user.name())));
        return list.build();
    }
}
