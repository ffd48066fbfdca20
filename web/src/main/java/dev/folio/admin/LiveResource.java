package dev.folio.admin;

import dev.folio.auth.rest.BearerAuthentication;
import dev.folio.auth.rest.Callers;
import dev.folio.auth.rest.StreamTickets;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The admin console's live stream: server-sent events from this node ({@link ConsoleFeed}). A
 * browser's EventSource sends no Authorization header, so the stream is opened with a ticket that
 * an authenticated call takes first ({@link StreamTickets}); both need the admin group.
 */
@Path(BearerAuthentication.TICKET_STREAM)
@AdminOnly
public class LiveResource {

    @Inject
    StreamTickets tickets;

    @Inject
    ConsoleFeed feed;

    @Context
    SecurityContext security;

    @POST
    @Path("tickets")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "A ticket to open the live stream with (GET admin/live?ticket=): good once, for 30 s, on"
                    + " this node")
    public Response ticket() {
        return Response.ok(Json.createObjectBuilder()
                        .add("ticket", tickets.issue(Callers.of(security)))
                        .add("validSeconds", StreamTickets.VALID_SECONDS)
                        .build())
                .build();
    }

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Operation(
            summary = "Server-sent events: \"history\" (this node's last hour of pipeline samples) at once, then a"
                    + " \"tick\" every 2 s (nodes, pipeline, sessions by document, a sample); \"expired\" when"
                    + " the token that took the ticket expires. Opened with ?ticket= from POST admin/live/tickets")
    public void stream(@Context Sse sse, @Context SseEventSink sink) {
        feed.subscribe(sse, sink, Callers.of(security));
    }
}
