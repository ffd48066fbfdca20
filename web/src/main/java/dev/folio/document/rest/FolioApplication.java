package dev.folio.document.rest;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
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
public class FolioApplication extends Application {}
