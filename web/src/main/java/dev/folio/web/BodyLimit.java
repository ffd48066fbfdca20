package dev.folio.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The API's request bodies are small JSON objects (a title, a role, a name and a password), so a
 * body over {@value #MAX_BODY_BYTES} bytes is refused before anything reads it: 413 {@code
 * body-too-large}. A body without a length (chunked) is refused too, 411 {@code length-required},
 * since its size is only known once read. Before, one unauthenticated 200 MiB sign-in took 1.4 GB of
 * heap (issue 19). docs/security.md, "Limits".
 */
@WebFilter(urlPatterns = "/api/*", asyncSupported = true)
public class BodyLimit extends HttpFilter {

    public static final int MAX_BODY_BYTES = 64 * 1024;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        long length = request.getContentLengthLong();
        if (length > MAX_BODY_BYTES) {
            refuse(response, 413, "body-too-large", "a request body has at most " + MAX_BODY_BYTES + " bytes");
        } else if (length < 0 && request.getHeader("Transfer-Encoding") != null) {
            refuse(response, 411, "length-required", "send the body with a Content-Length");
        } else {
            chain.doFilter(request, response);
        }
    }

    private static void refuse(HttpServletResponse response, int status, String code, String message)
            throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        // The client may still be sending the body: close, so nothing waits for it to end.
        response.setHeader("Connection", "close");
        byte[] body = Problems.json(status, code, message).getBytes(StandardCharsets.UTF_8);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
