package dev.folio.document.rest;

import dev.folio.web.Problems;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** A refused request of the documents API as a problem body: 400 {@code bad-request} with what was wrong. */
@Provider
public class InvalidInputMapper implements ExceptionMapper<InvalidInputException> {

    @Override
    public Response toResponse(InvalidInputException e) {
        return Problems.problem(Response.Status.BAD_REQUEST, "bad-request", e.getMessage());
    }
}
