package dev.folio.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * What an outsider probing the REST API meets (issue 19): guessing passwords is slowed down, tokens
 * that would live for years and members that are nobody are refused, and what the container answers
 * by itself (a wrong method, a bad parameter, OPTIONS) is the API's problem shape with its headers,
 * naming no server software.
 */
class RestHostileInputIT extends SystemTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void guessingOneNamesPasswordIsSlowedDownAndLetThroughAgainAfterRetryAfter() throws Exception {
        // A name of its own: the demo users' sign-ins in other tests are not held up.
        String name = "guessed-" + UUID.randomUUID();
        int failuresPerName = limit("folio.auth.sign-in.failures-per-name");
        HttpResponse<String> answer = null;
        int attempts = 0;
        while (attempts < 300) {
            attempts++;
            answer = login(name, "guess-" + attempts);
            if (answer.statusCode() != 401) {
                break;
            }
        }
        assertEquals(429, answer.statusCode(), "after " + attempts + " wrong passwords: " + answer.body());
        assertTrue(attempts <= failuresPerName + 1, "slowed down after " + attempts + " wrong passwords");
        assertEquals("too-many-sign-ins", Api.json(answer.body()).getString("code"));
        assertSecurityHeaders(answer);
        long retryAfter =
                Long.parseLong(answer.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(retryAfter >= 1 && retryAfter <= 60, "Retry-After " + retryAfter);
        assertTrue(api.metric("folio_auth_sign_ins_limited_total") >= 1, "the refusals are counted");

        Thread.sleep(Duration.ofSeconds(retryAfter).toMillis()); // what the client was told to do
        assertEquals(401, login(name, "one more guess").statusCode(), "the name is not locked out for good");
    }

    @Test
    void aTokenThatWouldLiveForYearsIsRefused() throws Exception {
        String centuryToken = TestTokens.shared().mintPerson("Patient attacker", Duration.ofDays(36_500));
        HttpResponse<String> answer = api.as(centuryToken).send(api.request("documents"));
        assertEquals(401, answer.statusCode(), answer.body());
        assertEquals("token-lifetime-too-long", Api.json(answer.body()).getString("code"));

        String dayToken = TestTokens.shared().mintPerson("Patient attacker", Duration.ofHours(4));
        assertEquals(200, api.as(dayToken).send(api.request("documents")).statusCode());
    }

    @Test
    void aDocumentIsSharedOnlyWithUsersTheServerKnows() throws Exception {
        UUID document = api.createDocument("Shared with nobody");
        for (String nobody : new String[] {"..%2F..%2Fadmin", "nobody-" + UUID.randomUUID()}) {
            HttpResponse<String> answer =
                    api.put("documents/" + document + "/members/" + nobody, "{\"role\":\"editor\"}");
            assertTrue(answer.statusCode() == 400 || answer.statusCode() == 404, nobody + ": " + answer.body());
            assertFalse(Api.json(answer.body()).getString("code").isEmpty());
        }
        String members =
                api.send(api.request("documents/" + document + "/members")).body();
        assertEquals(
                1, Api.json("{\"list\":" + members + "}").getJsonArray("list").size(), members);

        api.share(document, "viewer", "viewer");
        api.as(TestTokens.shared().accessAsPerson("Known person")).becomeKnown();
        api.shareWithId(document, TestTokens.personId("Known person"), "editor");
    }

    @Test
    void optionsNamesNoServerSoftware() throws Exception {
        HttpResponse<String> answer =
                api.as(null).send(api.request("documents").method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
        assertFalse(answer.body().toLowerCase().contains("jersey"), answer.body());
        assertFalse(answer.body().contains("wadl"), answer.body());
        assertSecurityHeaders(answer);
    }

    @Test
    void aBadQueryParameterIsABadRequestProblem() throws Exception {
        for (String path : new String[] {"documents?limit=abc", "documents?offset=1.5", "admin/documents?limit=x"}) {
            HttpResponse<String> answer = api.asUser("admin").send(api.request(path));
            assertEquals(400, answer.statusCode(), path + ": " + answer.body());
            assertEquals("bad-request", Api.json(answer.body()).getString("code"), path);
            assertSecurityHeaders(answer);
        }
    }

    @Test
    void aWrongMethodIsAProblemWithTheSecurityHeaders() throws Exception {
        HttpResponse<String> answer =
                api.send(api.request("documents").method("PATCH", HttpRequest.BodyPublishers.ofString("{}")));
        assertEquals(405, answer.statusCode(), answer.body());
        JsonObject problem = Api.json(answer.body());
        assertEquals(405, problem.getInt("status"));
        assertTrue(answer.headers().firstValue("Allow").orElse("").contains("GET"), answer.headers()::toString);
        assertSecurityHeaders(answer);
    }

    /**
     * Outside {@code /api} no filter of the app counts a body's bytes: the container refuses any body
     * announced over its maximum (1 MiB, server-config/stack/micro-pre-boot.asadmin) without waiting
     * for it.
     */
    @Test
    void aHugeBodyOutsideTheApiIsRefusedByTheContainerWithoutWaitingForIt() throws Exception {
        try (Socket socket = new Socket(stack.http().getHost(), stack.http().getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream()
                    .write(("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\n"
                                    + "Content-Length: 209715200\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            String statusLine;
            try {
                statusLine = new BufferedReader(
                                new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                        .readLine();
            } catch (SocketTimeoutException waitedForTheBody) {
                statusLine = "(no answer in 10 s: the server waited for the body)";
            }
            assertEquals("HTTP/1.1 413 Request Entity Too Large", statusLine);
        }
    }

    /** A limit in force, as the admin API shows it. */
    private static int limit(String name) throws Exception {
        Api admin = api.asUser("admin");
        return Api.json(admin.send(admin.request("admin/limits")).body()).getInt(name);
    }

    private static HttpResponse<String> login(String name, String password) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(stack.http().resolve("/api/auth/login"))
                        .header("Content-Type", "application/json")
                        .header("X-Folio-CSRF", "1")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"username\":\"" + name + "\",\"password\":\"" + password + "\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static void assertSecurityHeaders(HttpResponse<String> answer) {
        assertEquals(
                "nosniff", answer.headers().firstValue("X-Content-Type-Options").orElse(""), answer::toString);
        assertEquals("DENY", answer.headers().firstValue("X-Frame-Options").orElse(""), answer::toString);
        assertTrue(
                answer.headers()
                        .firstValue("Content-Security-Policy")
                        .orElse("")
                        .contains("frame-ancestors 'none'"),
                answer::toString);
        assertEquals("no-store", answer.headers().firstValue("Cache-Control").orElse(""), answer::toString);
    }
}
