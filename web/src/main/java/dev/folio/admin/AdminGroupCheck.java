package dev.folio.admin;

import dev.folio.access.Caller;
import dev.folio.web.Problems;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.Response.Status;
import jakarta.ws.rs.ext.Provider;
import java.util.logging.Logger;

/**
 * Refuses {@link AdminOnly} calls of anyone outside the group {@value Caller#ADMIN}, after the
 * token was checked and before the resource reads anything: so a refused call changes nothing and
 * learns nothing, not even whether the id it names exists.
 */
@Provider
@AdminOnly
@Priority(Priorities.AUTHORIZATION)
public class AdminGroupCheck implements ContainerRequestFilter {

    private static final Logger LOG = Logger.getLogger(AdminGroupCheck.class.getName());

    @Override
    public void filter(ContainerRequestContext request) {
        // No caller at all (a call the authentication let through unauthenticated) is no admin either.
        Object caller = request.getSecurityContext().getUserPrincipal();
        if (!(caller instanceof Caller known && known.isAdmin())) {
            LOG.info(() -> caller + " asked for " + request.getMethod() + " /"
                    + request.getUriInfo().getPath() + " without the admin group");
            request.abortWith(Problems.problem(
                    Status.FORBIDDEN, "forbidden", "the admin console needs the group " + Caller.ADMIN));
        }
    }
}
