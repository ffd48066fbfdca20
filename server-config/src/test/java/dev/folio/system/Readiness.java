package dev.folio.system;

import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.http.HttpResponse;

/**
 * Whether an answer of {@code /health/ready} means the application is ready. A 200 alone does not:
 * a server deploying the resource adapter and its resources before the application answers 200,
 * with no checks, as soon as the first of them is deployed, and then 503 while the application is
 * deployed (seen on Payara Micro 6.2025.10). Only once the application's own checks are listed and
 * all are up is it ready.
 */
final class Readiness {

    private Readiness() {}

    static boolean isReady(HttpResponse<String> response) {
        if (response.statusCode() != 200) {
            return false;
        }
        try {
            JsonObject health =
                    Json.createReader(new StringReader(response.body())).readObject();
            return "UP".equals(health.getString("status", ""))
                    && !health.getJsonArray("checks").isEmpty();
        } catch (JsonException | ClassCastException | NullPointerException notHealth) {
            return false;
        }
    }
}
