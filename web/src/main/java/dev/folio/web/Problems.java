package dev.folio.web;

import jakarta.json.Json;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** Every error of the REST API has one shape: {@code {"status": N, "code": "...", "error": "..."}}. */
public final class Problems {

    private Problems() {}

    public static Response problem(Response.Status status, String code, String message) {
        return problem(status.getStatusCode(), code, message);
    }

    public static Response problem(int status, String code, String message) {
        return Response.status(status)
                .entity(json(status, code, message))
                .type(MediaType.APPLICATION_JSON)
                .build();
    }

    /** The body alone, for servlet filters that answer before JAX-RS. */
    public static String json(int status, String code, String message) {
        return Json.createObjectBuilder()
                .add("status", status)
                .add("code", code)
                .add("error", message)
                .build()
                .toString();
    }
}
