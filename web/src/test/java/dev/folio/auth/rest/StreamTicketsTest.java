package dev.folio.auth.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.folio.access.Caller;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StreamTicketsTest {

    private static final Instant NOW = Instant.parse("2026-12-08T00:00:00Z");
    private static final Caller ADMIN =
            new Caller("a", "admin", Set.of(Caller.ADMIN), "t", NOW, NOW.plus(Duration.ofMinutes(5)));

    @Test
    void aTicketIsGoodOnceForItsCaller() {
        StreamTickets tickets = at(NOW);
        String ticket = tickets.issue(ADMIN);
        assertNotEquals(ticket, tickets.issue(ADMIN));
        assertTrue(ticket.length() >= 40, ticket);
        assertEquals(Optional.of(ADMIN), tickets.redeem(ticket));
        assertEquals(Optional.empty(), tickets.redeem(ticket), "used up");
        assertEquals(Optional.empty(), tickets.redeem("made-up"));
        assertEquals(Optional.empty(), tickets.redeem(null));
    }

    @Test
    void aTicketExpires() {
        StreamTickets tickets = at(NOW);
        String ticket = tickets.issue(ADMIN);
        tickets.clock = Clock.fixed(NOW.plusSeconds(StreamTickets.VALID_SECONDS + 1), ZoneOffset.UTC);
        assertEquals(Optional.empty(), tickets.redeem(ticket));
    }

    private static StreamTickets at(Instant now) {
        StreamTickets tickets = new StreamTickets();
        tickets.clock = Clock.fixed(now, ZoneOffset.UTC);
        return tickets;
    }
}
