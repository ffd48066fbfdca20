package dev.folio.auth.rest;

import dev.folio.access.Caller;
import dev.folio.auth.DevelopmentIssuer;
import dev.folio.auth.DevelopmentIssuer.SignedIn;
import dev.folio.auth.SignInLimitedException;
import dev.folio.auth.TokenRejectedException;
import dev.folio.web.JsonBodies;
import dev.folio.web.OriginPolicy;
import dev.folio.web.Problems;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.Response.Status;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;
import java.time.Duration;
import java.time.Instant;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Signing in, refreshing and signing out with the development issuer. The access token goes back
 * in the body (the page keeps it in memory); the refresh token only ever as the HTTP-only,
 * SameSite=Strict cookie {@value #COOKIE}, sent back to these calls alone (its path). The three
 * cookie calls need {@value #CSRF_HEADER} (a header no cross-site form or simple request can
 * carry) and, when an Origin is sent, this server's own.
 */
@Path("auth")
@Produces(MediaType.APPLICATION_JSON)
public class AuthResource {

    static final String COOKIE = "folio_refresh";
    static final String CSRF_HEADER = "X-Folio-CSRF";

    @Inject
    DevelopmentIssuer issuer;

    @Inject
    OriginPolicy origins;

    /** Off only for a local run over plain http from another machine (browsers drop Secure cookies there). */
    @Inject
    @ConfigProperty(name = "folio.auth.cookie-secure", defaultValue = "true")
    boolean secureCookie;

    @Context
    UriInfo uri;

    @POST
    @Path("login")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Signs a demo user in (development issuer): {\"username\", \"password\"}")
    public Response login(
            String body,
            @HeaderParam(CSRF_HEADER) String csrf,
            @Context HttpHeaders headers,
            @Context HttpServletRequest request) {
        Response refused = refusedCookieCall(csrf, headers);
        if (refused != null) {
            return refused;
        }
        if (!issuer.isOn()) {
            return Problems.problem(Status.NOT_FOUND, "no-issuer", "sign in with your organisation's issuer");
        }
        JsonObject credentials = JsonBodies.object(body);
        if (credentials == null
                || !(credentials.get("username") instanceof JsonString name)
                || !(credentials.get("password") instanceof JsonString password)) {
            return Problems.problem(Status.BAD_REQUEST, "bad-request", "send {\"username\": ..., \"password\": ...}");
        }
        try {
            return issuer.signIn(name.getString(), password.getString(), request.getRemoteAddr())
                    .map(this::signedIn)
                    .orElseGet(
                            () -> Problems.problem(Status.UNAUTHORIZED, "bad-credentials", "wrong name or password"));
        } catch (SignInLimitedException e) {
            return Response.fromResponse(
                            Problems.problem(Status.TOO_MANY_REQUESTS, "too-many-sign-ins", e.getMessage()))
                    .header("Retry-After", e.retryAfterSeconds())
                    .build();
        }
    }

    @POST
    @Path("refresh")
    @Operation(summary = "A new access token for the refresh cookie, which is replaced (each is good once)")
    public Response refresh(
            @CookieParam(COOKIE) String refreshToken,
            @HeaderParam(CSRF_HEADER) String csrf,
            @Context HttpHeaders headers) {
        Response refused = refusedCookieCall(csrf, headers);
        if (refused != null) {
            return refused;
        }
        if (!issuer.isOn()) {
            return Problems.problem(Status.NOT_FOUND, "no-issuer", "refresh with your organisation's issuer");
        }
        try {
            return signedIn(issuer.refresh(refreshToken));
        } catch (TokenRejectedException e) {
            return Response.fromResponse(Problems.problem(Status.UNAUTHORIZED, "signed-out", "sign in again"))
                    .header(HttpHeaders.SET_COOKIE, cookie("", Duration.ZERO))
                    .build();
        }
    }

    @POST
    @Path("logout")
    @Operation(summary = "Revokes the refresh cookie and the Bearer token, and clears the cookie")
    public Response logout(
            @CookieParam(COOKIE) String refreshToken,
            @HeaderParam(CSRF_HEADER) String csrf,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @Context HttpHeaders headers) {
        Response refused = refusedCookieCall(csrf, headers);
        if (refused != null) {
            return refused;
        }
        if (issuer.isOn()) {
            issuer.signOut(refreshToken, BearerAuthentication.bearer(authorization));
        }
        return Response.noContent()
                .header(HttpHeaders.SET_COOKIE, cookie("", Duration.ZERO))
                .build();
    }

    @GET
    @Path("me")
    @Operation(summary = "Who the Bearer token names")
    public JsonObject me(@Context SecurityContext security) {
        Caller caller = Callers.of(security);
        return Json.createObjectBuilder()
                .add("id", caller.id())
                .add("name", caller.name())
                .add(
                        "groups",
                        Json.createArrayBuilder(
                                caller.groups().stream().sorted().toList()))
                .add("expiresAt", caller.expiresAt().toEpochMilli())
                .build();
    }

    private Response refusedCookieCall(String csrf, HttpHeaders headers) {
        if (!"1".equals(csrf)) {
            return Problems.problem(Status.FORBIDDEN, "csrf", "send the header " + CSRF_HEADER + ": 1");
        }
        if (!origins.permits(headers.getHeaderString("Origin"), headers.getHeaderString("Host"))) {
            return Problems.problem(Status.FORBIDDEN, "csrf", "this origin may not sign in here");
        }
        return null;
    }

    private Response signedIn(SignedIn signedIn) {
        JsonObject body = Json.createObjectBuilder()
                .add("accessToken", signedIn.access().token())
                .add("expiresAt", signedIn.access().expiresAt().toEpochMilli())
                .add(
                        "user",
                        Json.createObjectBuilder()
                                .add("id", signedIn.user().id())
                                .add("name", signedIn.user().name())
                                .add(
                                        "groups",
                                        Json.createArrayBuilder(signedIn.user().groups().stream()
                                                .sorted()
                                                .toList())))
                .build();
        Duration refreshLife =
                Duration.between(Instant.now(), signedIn.refresh().expiresAt());
        return Response.ok(body)
                .header(HttpHeaders.SET_COOKIE, cookie(signedIn.refresh().token(), refreshLife))
                .build();
    }

    /** The refresh cookie; an empty value with no lifetime clears it. */
    private String cookie(String value, Duration lifetime) {
        return COOKIE + "=" + value + "; Path=" + uri.getBaseUri().getPath() + "auth; Max-Age="
                + Math.max(0, lifetime.toSeconds()) + "; HttpOnly; SameSite=Strict" + (secureCookie ? "; Secure" : "");
    }
}
