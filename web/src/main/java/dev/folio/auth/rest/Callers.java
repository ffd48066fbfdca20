package dev.folio.auth.rest;

import dev.folio.access.Caller;
import jakarta.ws.rs.core.SecurityContext;

/** The {@link Caller} that {@link BearerAuthentication} put on a request. */
public final class Callers {

    private Callers() {}

    public static Caller of(SecurityContext security) {
        if (security.getUserPrincipal() instanceof Caller caller) {
            return caller;
        }
        throw new IllegalStateException("no caller: the request passed no authentication");
    }
}
