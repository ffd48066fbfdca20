package dev.folio.document.rest;

import dev.folio.document.DocumentUnavailableException;
import dev.folio.web.Problems;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** A document the node will not open for a moment (an outage): 503 with when to try again. */
@Provider
public class DocumentUnavailableMapper implements ExceptionMapper<DocumentUnavailableException> {

    @Override
    public Response toResponse(DocumentUnavailableException e) {
        long seconds = Math.max(1, (e.retryAfter().toMillis() + 999) / 1000);
        return Response.fromResponse(
                        Problems.problem(Response.Status.SERVICE_UNAVAILABLE, "document-unavailable", e.getMessage()))
                .header("Retry-After", Long.toString(seconds))
                .build();
    }
}
