package dev.folio.document.socket;

import dev.folio.access.AccessChange;
import dev.folio.document.Limits;
import dev.folio.document.UnknownDocumentException;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.MetricRegistry;

/**
 * The open WebSocket sessions: counted as the metric {@code folio.sessions.open}, at most {@code
 * folio.ws.max-sessions-per-user} per user on this node, closed when silent for {@code
 * folio.ws.idle-seconds} (clients ping), with an {@code idle} error frame first, which the
 * container's own idle timeout would not send. Every second the sweep also tells a session whose
 * token is about to expire ({@code token-expiring}, {@code folio.auth.refresh-warning-seconds}
 * ahead), closes one whose token has expired (4401), and disconnects one that has not read a frame
 * within {@code folio.ws.send-timeout-seconds} (1013 {@code too-slow}, counted as {@code
 * folio.sessions.too-slow}).
 */
@ApplicationScoped
public class OpenSessions {

    private static final Logger LOG = Logger.getLogger(OpenSessions.class.getName());

    @Inject
    MetricRegistry metrics;

    /**
     * The sweep's thread comes from the container's thread factory, so it carries the application's
     * context itself: the default managed scheduled executor runs without capturing context
     * (server-config/stack/micro-post-boot.asadmin), and the sweep calls EJBs.
     */
    @Resource
    ManagedThreadFactory threads;

    private ScheduledExecutorService scheduler;

    @Inject
    @ConfigProperty(name = "folio.ws.idle-seconds", defaultValue = "60")
    int idleSeconds;

    @Inject
    @ConfigProperty(name = "folio.auth.refresh-warning-seconds", defaultValue = "60")
    long refreshWarningSeconds;

    @Inject
    SessionAccess access;

    @Inject
    Limits limits;

    private final Set<ClientChannel> open = ConcurrentHashMap.newKeySet();
    private final ConcurrentHashMap<String, Integer> perUser = new ConcurrentHashMap<>();
    private ScheduledFuture<?> sweeping;
    private Counter tooSlow;
    private Counter joinsRefused;
    private RateByKey joins;
    private RateByKey handshakes;
    private Counter handshakesRefused;

    @PostConstruct
    void start() {
        metrics.gauge("folio.sessions.open", open, Set::size);
        tooSlow = metrics.counter("folio.sessions.too-slow");
        joinsRefused = metrics.counter("folio.joins.refused");
        joins = new RateByKey(limits.joinsPerMinute(), limits.joinBurst());
        handshakes = new RateByKey(limits.handshakesPerMinute(), limits.handshakeBurst());
        handshakesRefused = metrics.counter("folio.handshakes.refused");
        scheduler = Executors.newSingleThreadScheduledExecutor(threads);
        sweeping = scheduler.scheduleAtFixedRate(this::sweep, 1, 1, TimeUnit.SECONDS);
    }

    /** Created with the application, so that the metric and the sweep exist before the first session. */
    void startWithTheApplication(@Observes @Initialized(ApplicationScoped.class) Object application) {
        // Observing the event is what creates the bean; start() does the work.
    }

    @PreDestroy
    void stop() {
        sweeping.cancel(false);
        scheduler.shutdownNow();
    }

    /** How long a session may stay silent; clients learn it in {@code joined} and ping well within it. */
    int idleSeconds() {
        return idleSeconds;
    }

    /** @return false, taking nothing, if the channel's user has {@code maxPerUser} sessions here already */
    boolean opened(ClientChannel channel, int maxPerUser) {
        String user = channel.caller().id();
        boolean[] taken = {false};
        perUser.compute(user, (id, count) -> {
            int now = count == null ? 0 : count;
            if (now >= maxPerUser) {
                return count;
            }
            taken[0] = true;
            return now + 1;
        });
        if (taken[0]) {
            open.add(channel);
        }
        return taken[0];
    }

    /**
     * Takes a join of the channel's user ({@code folio.ws.joins-per-minute}, {@code
     * folio.ws.join-burst}): zero if it may join now, otherwise how long to wait, and the refusal is
     * counted as {@code folio.joins.refused}.
     */
    Duration takeJoin(ClientChannel channel) {
        Duration wait = joins.take(channel.caller().id(), System.nanoTime());
        if (!wait.isZero()) {
            joinsRefused.inc();
        }
        return wait;
    }

    /**
     * Takes a WebSocket handshake from {@code address} ({@code folio.ws.handshakes-per-minute},
     * {@code folio.ws.handshake-burst}, per remote address): zero if it may go on, otherwise how long
     * to wait, and the refusal is counted as {@code folio.handshakes.refused}. Joins are limited per
     * user; this limits what one address does with many users, and a session joins once.
     */
    Duration takeHandshake(String address) {
        Duration wait = handshakes.take(String.valueOf(address), System.nanoTime());
        if (!wait.isZero()) {
            handshakesRefused.inc();
        }
        return wait;
    }

    boolean isOpen(ClientChannel channel) {
        return open.contains(channel);
    }

    void closed(ClientChannel channel) {
        if (open.remove(channel)) {
            perUser.computeIfPresent(channel.caller().id(), (id, count) -> count <= 1 ? null : count - 1);
        }
    }

    /** Sessions open here, and the users they belong to. */
    public int count() {
        return open.size();
    }

    public int users() {
        return perUser.size();
    }

    /** Sessions open here by the document they joined (sessions that have not joined yet are left out). */
    public Map<UUID, Integer> byDocument() {
        Map<UUID, Integer> counts = new HashMap<>();
        for (ClientChannel channel : open) {
            if (channel.documentId != null && !channel.isClosing()) {
                counts.merge(channel.documentId, 1, Integer::sum);
            }
        }
        return counts;
    }

    /**
     * Closes every session of the document here, for an administrator: the clients are told the
     * document is unavailable for a moment, and join again (on any node).
     *
     * @return how many were closed
     */
    public int closeDocument(UUID documentId, String why) {
        int closed = 0;
        for (ClientChannel channel : open) {
            if (documentId.equals(channel.documentId) && !channel.isClosing()) {
                channel.sendAndClose(ClientChannel.DOCUMENT_UNAVAILABLE, "document-unavailable", why);
                closed++;
            }
        }
        return closed;
    }

    private void sweep() {
        try {
            sweepOnce();
        } catch (RuntimeException e) {
            // A task that throws is never run again: the sweep must go on.
            LOG.log(Level.WARNING, "the session sweep failed; it runs again in a second", e);
        }
    }

    private void sweepOnce() {
        long limit = TimeUnit.SECONDS.toNanos(idleSeconds);
        long sendTimeout = TimeUnit.SECONDS.toNanos(limits.sendTimeoutSeconds());
        Instant now = Instant.now();
        joins.forgetRested(System.nanoTime());
        handshakes.forgetRested(System.nanoTime());
        for (ClientChannel channel : open) {
            if (channel.sendingFor() > sendTimeout) {
                if (channel.disconnectAsTooSlow("took no frame for " + limits.sendTimeoutSeconds() + " s")) {
                    tooSlow.inc();
                }
            } else if (channel.silentFor() > limit) {
                channel.sendAndClose(ClientChannel.IDLE, "idle", "no frame for " + idleSeconds + " s; send pings");
            } else if (channel.tokenExpired(now)) {
                channel.sendAndClose(
                        ClientChannel.UNAUTHENTICATED,
                        "token-expired",
                        "the access token expired; refresh and join again");
            } else if (channel.shouldWarnOfExpiry(now, refreshWarningSeconds)) {
                channel.send(Frames.tokenExpiring(channel.caller().expiresAt()));
            } else if (!channel.isClosing()) {
                recheck(channel);
            }
        }
    }

    /**
     * A user's role on a document changed, here (once committed) or on another node: that user's
     * sessions on it are looked up again now, not at their next check. A removed member's deltas
     * were taken for up to {@link SessionAccess#RECHECK_SECONDS} seconds before (issue 19).
     */
    void accessChanged(@Observes(during = TransactionPhase.AFTER_SUCCESS) AccessChange change) {
        for (ClientChannel channel : open) {
            if (channel.documentId != null
                    && channel.documentId.equals(change.documentId())
                    && channel.caller().id().equals(change.userId())
                    && !channel.isClosing()) {
                channel.accessCheckDue();
                recheck(channel);
            }
        }
    }

    /** A session that only listens is looked up again too: a removed viewer stops receiving. */
    private void recheck(ClientChannel channel) {
        try {
            access.recheckIfDue(channel);
        } catch (AccessEndedException | UnknownDocumentException e) {
            SessionEnding.foreseen(e).orElseThrow().endSession(channel);
        } catch (RuntimeException e) {
            // Failing past its grace period (SessionAccess): fail closed, as a new handshake would.
            LOG.log(Level.WARNING, "document " + channel.documentId + ": looking up a session's access failed", e);
            channel.sendAndClose(
                    ClientChannel.DOCUMENT_UNAVAILABLE,
                    "document-unavailable",
                    "your access could not be checked; join again");
        }
    }
}
