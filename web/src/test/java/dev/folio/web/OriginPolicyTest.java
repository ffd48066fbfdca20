package dev.folio.web;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class OriginPolicyTest {

    private final OriginPolicy cut = new OriginPolicy();

    @Test
    void aPageOfTheServerItselfOrAListedOriginMayAndNoOtherMay() {
        cut.allowedOrigins = "https://folio.example, https://Other.example ";
        cut.trustHost = true;

        assertTrue(cut.permits("http://localhost:8080", "localhost:8080"));
        assertTrue(cut.permits("https://other.example", "localhost:8080"));
        assertTrue(cut.permits(null, "localhost:8080"), "no page at all: curl, a test client");
        assertFalse(cut.permits("https://evil.example", "localhost:8080"));
        assertFalse(cut.permits("http://localhost:8081", "localhost:8080"), "another port is another origin");
        assertFalse(cut.permits("null", "localhost:8080"), "a sandboxed frame or a file");
        assertFalse(cut.permits("ftp://localhost:8080", "localhost:8080"));
    }

    @Test
    void withoutTrustInTheHostOnlyListedOriginsMay() {
        cut.allowedOrigins = "https://folio.example";
        cut.trustHost = false;

        // A page rebound by DNS sends its own name as Host and as Origin alike.
        assertFalse(cut.permits("http://rebound.example:8080", "rebound.example:8080"));
        assertTrue(cut.permits("https://folio.example", "folio.example"));
    }
}
