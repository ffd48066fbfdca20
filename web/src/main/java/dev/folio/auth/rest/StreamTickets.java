package dev.folio.auth.rest;

import dev.folio.access.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tickets for the admin console's live stream ({@code GET admin/live}): a browser's EventSource cannot send an Authorization
 * header, and the access token must never be in a URL (logs, history). So an authenticated admin
 * call takes a ticket, and the stream's URL carries that: random, good once, for {@value
 * #VALID_SECONDS} s, on the node that issued it (the stream is opened on the same origin at once).
 */
@ApplicationScoped
public class StreamTickets {

    public static final int VALID_SECONDS = 30;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, Issued> issued = new ConcurrentHashMap<>();

    Clock clock = Clock.systemUTC();

    private record Issued(Caller caller, Instant validUntil) {}

    /** A new ticket for {@code caller}; expired ones are forgotten meanwhile. */
    public String issue(Caller caller) {
        Instant now = clock.instant();
        issued.values().removeIf(ticket -> ticket.validUntil().isBefore(now));
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String ticket = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        issued.put(ticket, new Issued(caller, now.plus(Duration.ofSeconds(VALID_SECONDS))));
        return ticket;
    }

    /** The caller a valid ticket was issued to; the ticket is used up either way. */
    public Optional<Caller> redeem(String ticket) {
        if (ticket == null) {
            return Optional.empty();
        }
        Issued used = issued.remove(ticket);
        if (used == null || used.validUntil().isBefore(clock.instant())) {
            return Optional.empty();
        }
        return Optional.of(used.caller());
    }
}
