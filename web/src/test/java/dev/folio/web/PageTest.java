package dev.folio.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Query parameters of a list: numbers in range, or no page (a 400), never an exception. */
class PageTest {

    @Test
    void missingParametersTakeTheirDefaults() {
        assertEquals(Optional.of(new Page(0, Page.DEFAULT_LIMIT)), Page.of(null, null));
        assertEquals(Optional.of(new Page(40, 20)), Page.of("40", "20"));
    }

    @ParameterizedTest
    @CsvSource({"abc,10", "0,abc", "1.5,10", "0,1e3", "-1,10", "0,0", "0,501", "99999999999,10", "'',10"})
    void anythingElseIsNoPage(String offset, String limit) {
        assertTrue(Page.of(offset, limit).isEmpty(), offset + " / " + limit);
    }
}
