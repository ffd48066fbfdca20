package dev.folio.auth.rest;

import dev.folio.access.Caller;
import dev.folio.auth.Authenticator;
import dev.folio.auth.TokenRejectedException;
import dev.folio.web.Problems;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.ext.Provider;
import java.security.Principal;
import java.util.Set;

/**
 * Every API call but the three cookie calls of {@link AuthResource} needs {@code Authorization:
 * Bearer <access token>}; the caller it names is the request's {@link SecurityContext} principal
 * (a {@link Caller}). A missing or refused token ends the request with 401 and its code. The one
 * exception is the admin console's live stream, which a browser opens without headers: without
 * one, it needs a ticket from {@link StreamTickets} in its query instead.
 */
@Provider
@Priority(Priorities.AUTHENTICATION)
public class BearerAuthentication implements ContainerRequestFilter {

    private static final Set<String> COOKIE_CALLS = Set.of("auth/login", "auth/refresh", "auth/logout");

    /** The admin console's server-sent events, opened with a ticket ({@link StreamTickets}). */
    public static final String TICKET_STREAM = "admin/live";

    @Inject
    Authenticator authenticator;

    @Inject
    StreamTickets tickets;

    @Override
    public void filter(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath().replaceAll("^/+|/+$", "");
        if (COOKIE_CALLS.contains(path) || "OPTIONS".equals(request.getMethod())) {
            return;
        }
        if (TICKET_STREAM.equals(path)
                && "GET".equals(request.getMethod())
                && request.getHeaderString(HttpHeaders.AUTHORIZATION) == null) {
            byTicket(request);
            return;
        }
        try {
            Caller caller = authenticator.authenticate(bearer(request.getHeaderString(HttpHeaders.AUTHORIZATION)));
            boolean secure = request.getSecurityContext().isSecure();
            request.setSecurityContext(new CallerContext(caller, secure));
        } catch (RuntimeException unavailable) {
            if (!(unavailable instanceof TokenRejectedException e)) {
                // The revocation list cannot be read: refuse, typed, rather than let anyone in.
                java.util.logging.Logger.getLogger(BearerAuthentication.class.getName())
                        .log(java.util.logging.Level.WARNING, "checking a token failed", unavailable);
                request.abortWith(Problems.problem(
                        Response.Status.SERVICE_UNAVAILABLE, "unavailable", "tokens cannot be checked now; try again"));
                return;
            }
            request.abortWith(
                    Response.fromResponse(Problems.problem(Response.Status.UNAUTHORIZED, e.code(), e.getMessage()))
                            .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"folio\", error=\"invalid_token\"")
                            .build());
        }
    }

    private void byTicket(ContainerRequestContext request) {
        String ticket = request.getUriInfo().getQueryParameters().getFirst("ticket");
        tickets.redeem(ticket)
                .ifPresentOrElse(
                        caller -> request.setSecurityContext(new CallerContext(
                                caller, request.getSecurityContext().isSecure())),
                        () -> request.abortWith(Problems.problem(
                                Response.Status.UNAUTHORIZED,
                                "ticket-refused",
                                "the stream needs a ticket from POST admin/live/tickets, good once and for "
                                        + StreamTickets.VALID_SECONDS + " s")));
    }

    /** The token of an {@code Authorization: Bearer} header, or null. */
    static String bearer(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        return authorization.substring(7).strip();
    }

    /** The caller of a request, for resources: {@code Callers.of(securityContext)}. */
    record CallerContext(Caller caller, boolean secure) implements SecurityContext {
        @Override
        public Principal getUserPrincipal() {
            return caller;
        }

        @Override
        public boolean isUserInRole(String role) {
            return caller.groups().contains(role);
        }

        @Override
        public boolean isSecure() {
            return secure;
        }

        @Override
        public String getAuthenticationScheme() {
            return "Bearer";
        }
    }
}
