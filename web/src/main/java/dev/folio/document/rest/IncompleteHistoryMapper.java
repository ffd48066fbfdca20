package dev.folio.document.rest;

import dev.folio.document.IncompleteHistoryException;
import dev.folio.web.Problems;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** A document whose history is incomplete is unavailable, with the reason (the log has it too). */
@Provider
public class IncompleteHistoryMapper implements ExceptionMapper<IncompleteHistoryException> {

    @Override
    public Response toResponse(IncompleteHistoryException e) {
        return Problems.problem(Response.Status.SERVICE_UNAVAILABLE, IncompleteHistoryException.CODE, e.getMessage());
    }
}
