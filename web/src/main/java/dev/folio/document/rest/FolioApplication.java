package dev.folio.document.rest;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.info.Info;

/** The REST API under {@code /api}; its OpenAPI description is served at {@code /openapi}. */
@ApplicationPath("api")
@OpenAPIDefinition(
        info =
                @Info(
                        title = "Folio",
                        version = "1",
                        description = "Documents of the Folio collaborative editor. Editing goes over the WebSocket of"
                                + " docs/protocol.md."))
public class FolioApplication extends Application {}
