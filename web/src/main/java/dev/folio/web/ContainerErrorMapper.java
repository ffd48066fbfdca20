package dev.folio.web;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * What JAX-RS answers by itself (no such resource, a wrong method, a type it does not take) in the
 * API's problem shape, with the headers it set (Allow on a 405). Without a body the container sent
 * its own HTML error page, without the security headers (issue 19). A response that has a body
 * already is kept as it is.
 */
@Provider
public class ContainerErrorMapper implements ExceptionMapper<WebApplicationException> {

    @Override
    public Response toResponse(WebApplicationException e) {
        Response response = e.getResponse();
        if (response.hasEntity()) {
            return response;
        }
        Response.StatusType status = response.getStatusInfo();
        Response problem = Problems.problem(status.getStatusCode(), code(status), status.getReasonPhrase());
        return Response.fromResponse(response)
                .entity(problem.getEntity())
                .type(problem.getMediaType())
                .build();
    }

    /** The problem code: the reason phrase, as the API's codes are written ("Method Not Allowed": method-not-allowed). */
    static String code(Response.StatusType status) {
        String phrase = status.getReasonPhrase();
        if (phrase == null || phrase.isBlank()) {
            return "http-" + status.getStatusCode();
        }
        return phrase.strip().toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
    }
}
