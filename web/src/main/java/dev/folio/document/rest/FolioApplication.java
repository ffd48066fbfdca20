package dev.folio.document.rest;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;

/**
 * The REST API under {@code /api}; its OpenAPI description is served at {@code /openapi}. Every
 * call but the sign-in calls needs a Bearer access token (docs/security.md).
 */
@ApplicationPath("api")
@OpenAPIDefinition(
        info =
                @Info(
                        title = "Folio",
                        version = "1",
                        description = "Documents of the Folio collaborative editor. Editing goes over the WebSocket of"
                                + " docs/protocol.md; tokens, roles and limits are docs/security.md."),
        security = @SecurityRequirement(name = "bearer"))
@SecurityScheme(
        securitySchemeName = "bearer",
        type = SecuritySchemeType.HTTP,
        scheme = "bearer",
        bearerFormat = "JWT",
        description = "An access token: POST /api/auth/login (development issuer) or your organisation's issuer")
public class FolioApplication extends Application {

    /**
     * Jersey's own settings (Payara's JAX-RS). No WADL: it answered OPTIONS on any path, signed in or
     * not, naming the Jersey version (issue 19); {@code /openapi} describes the API. Errors without a
     * body are sent as a status, not through the container's error page, which drops the headers
     * {@link dev.folio.web.SecurityHeaders} set.
     */
    @Override
    public Map<String, Object> getProperties() {
        return Map.of(
                "jersey.config.server.wadl.disableWadl", true,
                "jersey.config.servlet.response.setStatusOverSendError", true);
    }
}
