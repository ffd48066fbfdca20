package dev.folio.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * The API's request bodies are small JSON objects (a title, a role, a name and a password), so a
 * body over {@value #MAX_BODY_BYTES} bytes is refused: 413 {@code body-too-large}, before anything
 * reads it when its length is announced, after at most that many bytes when it is not (chunked).
 * Before, one unauthenticated 200 MiB sign-in took 1.4 GB of heap (issue 19). docs/security.md,
 * "Limits".
 */
@WebFilter(urlPatterns = "/api/*", asyncSupported = true)
public class BodyLimit extends HttpFilter {

    public static final int MAX_BODY_BYTES = 64 * 1024;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        long length = request.getContentLengthLong();
        if (length > MAX_BODY_BYTES) {
            refuse(response);
        } else if (length >= 0) {
            chain.doFilter(request, response);
        } else {
            // No length: read at most one byte past the limit, then hand on what was read.
            byte[] body = readAtMost(request.getInputStream(), MAX_BODY_BYTES + 1);
            if (body.length > MAX_BODY_BYTES) {
                refuse(response);
            } else {
                chain.doFilter(new ReadBody(request, body), response);
            }
        }
    }

    private static byte[] readAtMost(InputStream in, int limit) throws IOException {
        return in.readNBytes(limit);
    }

    private static void refuse(HttpServletResponse response) throws IOException {
        response.setStatus(413);
        response.setContentType("application/json");
        // The client may still be sending the body: close, so nothing waits for it to end.
        response.setHeader("Connection", "close");
        byte[] body = Problems.json(413, "body-too-large", "a request body has at most " + MAX_BODY_BYTES + " bytes")
                .getBytes(StandardCharsets.UTF_8);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    /** The request with the body already read. */
    private static final class ReadBody extends HttpServletRequestWrapper {

        private final byte[] body;

        ReadBody(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] bytes, int offset, int length) {
                    return in.read(bytes, offset, length);
                }

                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new IllegalStateException("the body was read already");
                }
            };
        }
    }
}
