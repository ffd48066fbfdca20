package dev.folio.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class JpaDocumentDirectoryTest {

    @Test
    void aSearchMatchesItsWildcardsLiterally() {
        assertEquals("50\\% off\\_now \\\\ here", JpaDocumentDirectory.literal("50% off_now \\ here"));
        assertEquals("plain", JpaDocumentDirectory.literal("plain"));
    }
}
