package dev.folio.admin;

import dev.folio.web.Problems;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.Response.Status;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** An administrator's action refused: a problem whose status says why. */
@Provider
public class RefusedActionMapper implements ExceptionMapper<RefusedActionException> {

    @Override
    public Response toResponse(RefusedActionException e) {
        Status status =
                switch (e.reason()) {
                    case BAD_INPUT -> Status.BAD_REQUEST;
                    case UNKNOWN -> Status.NOT_FOUND;
                    case CONFLICT -> Status.CONFLICT;
                    case LIMIT -> Status.FORBIDDEN;
                };
        return Problems.problem(status, e.code(), e.getMessage());
    }
}
