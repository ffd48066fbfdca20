package dev.folio.web;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Which web origins may drive this server from a browser: {@code folio.http.allowed-origins}, and
 * the server itself as the request's own Host names it, unless {@code folio.http.trust-host} is
 * false (behind DNS rebinding the Host is the attacker's name; then list the public origin). A
 * request without an Origin header comes from no web page (curl, a test client) and needs its
 * token like any other.
 */
@ApplicationScoped
public class OriginPolicy {

    @Inject
    @ConfigProperty(name = "folio.http.allowed-origins", defaultValue = " ")
    String allowedOrigins;

    @Inject
    @ConfigProperty(name = "folio.http.trust-host", defaultValue = "true")
    boolean trustHost;

    private Set<String> allowed;

    Set<String> allowed() {
        if (allowed == null) {
            allowed = Arrays.stream(allowedOrigins.split(","))
                    .map(String::strip)
                    .filter(origin -> !origin.isEmpty())
                    .map(origin -> origin.toLowerCase(Locale.ROOT))
                    .collect(Collectors.toUnmodifiableSet());
        }
        return allowed;
    }

    /**
     * @param origin the Origin header, or null
     * @param host the Host header the request came with
     */
    public boolean permits(String origin, String host) {
        if (origin == null) {
            return true;
        }
        String normalized = origin.strip().toLowerCase(Locale.ROOT);
        if (allowed().contains(normalized)) {
            return true;
        }
        if (!trustHost) {
            return false;
        }
        try {
            URI uri = URI.create(normalized);
            String authority = uri.getRawAuthority();
            boolean web = "http".equals(uri.getScheme()) || "https".equals(uri.getScheme());
            return web
                    && authority != null
                    && host != null
                    && authority.equals(host.strip().toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return false; // "null" (a sandboxed frame, a file) or garbage
        }
    }
}
