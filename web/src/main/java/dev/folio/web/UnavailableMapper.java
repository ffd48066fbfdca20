package dev.folio.web;

import jakarta.ejb.EJBException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A failure below the API (the database gone, a constraint a concurrent request broke) is a typed
 * 503 the client may retry, never an HTML 500; the log has the stack.
 */
@Provider
public class UnavailableMapper implements ExceptionMapper<EJBException> {

    private static final Logger LOG = Logger.getLogger(UnavailableMapper.class.getName());

    @Override
    public Response toResponse(EJBException e) {
        LOG.log(Level.WARNING, "an API call failed below the API", e);
        return Response.fromResponse(Problems.problem(
                        Response.Status.SERVICE_UNAVAILABLE,
                        "unavailable",
                        "the server could not do it now; try again"))
                .header("Retry-After", "1")
                .build();
    }
}
