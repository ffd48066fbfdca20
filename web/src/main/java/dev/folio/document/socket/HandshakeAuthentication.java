package dev.folio.document.socket;

import dev.folio.access.Caller;
import dev.folio.auth.Authenticator;
import dev.folio.auth.TokenRejectedException;
import dev.folio.web.OriginPolicy;
import dev.folio.web.Problems;
import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.security.Principal;
import java.time.Duration;
import java.util.Collections;
import java.util.logging.Logger;

/**
 * Authenticates a WebSocket handshake before the upgrade. A browser cannot set headers on a
 * WebSocket, so the access token travels as a subprotocol, {@code folio.bearer.<token>}, beside
 * {@value #PROTOCOL} (which the endpoint selects); other clients may send {@code Authorization:
 * Bearer} instead. Never in the URL, where logs and proxies would keep it. A foreign Origin gets
 * 403, a missing or refused token 401, both as JSON, and no socket. The caller becomes the
 * request's principal, which the container hands to the session.
 */
@WebFilter(urlPatterns = "/ws/*", asyncSupported = true)
public class HandshakeAuthentication extends HttpFilter {

    private static final Logger LOG = Logger.getLogger(HandshakeAuthentication.class.getName());

    static final String PROTOCOL = "folio.v1";
    static final String TOKEN_PROTOCOL = "folio.bearer.";

    @Inject
    Authenticator authenticator;

    @Inject
    OriginPolicy origins;

    @Inject
    OpenSessions sessions;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String origin = request.getHeader("Origin");
        if (!origins.permits(origin, request.getHeader("Host"))) {
            LOG.info(() ->
                    "WebSocket handshake from the foreign origin " + origin + " refused: " + request.getRequestURI());
            refuse(response, HttpServletResponse.SC_FORBIDDEN, "origin", "this origin may not open documents here");
            return;
        }
        // Before the token is checked: a refused handshake costs the node nothing more.
        Duration wait = sessions.takeHandshake(request.getRemoteAddr());
        if (!wait.isZero()) {
            response.setHeader("Retry-After", Long.toString(Math.max(1, wait.toSeconds() + 1)));
            refuse(response, 429, "too-many-handshakes", "too many connections from your address; try again later");
            return;
        }
        Caller caller;
        try {
            caller = authenticator.authenticate(token(request));
        } catch (TokenRejectedException e) {
            LOG.fine(() -> "WebSocket handshake refused (" + e.code() + "): " + request.getRequestURI());
            response.setHeader("WWW-Authenticate", "Bearer realm=\"folio\", error=\"invalid_token\"");
            refuse(response, HttpServletResponse.SC_UNAUTHORIZED, e.code(), e.getMessage());
            return;
        } catch (RuntimeException e) {
            LOG.log(java.util.logging.Level.WARNING, "checking a handshake's token failed", e);
            refuse(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, "unavailable", "tokens cannot be checked now");
            return;
        }
        chain.doFilter(new Authenticated(request, caller), response);
    }

    /** The token of a {@code folio.bearer.} subprotocol, else of an Authorization header, else null. */
    static String token(HttpServletRequest request) {
        for (String header : Collections.list(request.getHeaders("Sec-WebSocket-Protocol"))) {
            for (String protocol : header.split(",")) {
                String offered = protocol.strip();
                if (offered.startsWith(TOKEN_PROTOCOL)) {
                    return offered.substring(TOKEN_PROTOCOL.length());
                }
            }
        }
        String authorization = request.getHeader("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return authorization.substring(7).strip();
        }
        return null;
    }

    private static void refuse(HttpServletResponse response, int status, String code, String message)
            throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.setHeader("Cache-Control", "no-store");
        response.getWriter().write(Problems.json(status, code, message));
    }

    /** The handshake request with its caller as the principal. */
    private static final class Authenticated extends HttpServletRequestWrapper {
        private final Caller caller;

        Authenticated(HttpServletRequest request, Caller caller) {
            super(request);
            this.caller = caller;
        }

        @Override
        public Principal getUserPrincipal() {
            return caller;
        }

        @Override
        public String getRemoteUser() {
            return caller.id();
        }

        @Override
        public boolean isUserInRole(String role) {
            return caller.groups().contains(role);
        }
    }
}
