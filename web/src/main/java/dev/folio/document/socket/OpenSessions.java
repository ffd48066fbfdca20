package dev.folio.document.socket;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.metrics.MetricRegistry;

/**
 * The open WebSocket sessions: counted as the metric {@code folio.sessions.open}, and closed when
 * silent for {@code folio.ws.idle-seconds} (clients ping), with an {@code idle} error frame first,
 * which the container's own idle timeout would not send.
 */
@ApplicationScoped
public class OpenSessions {

    @Inject
    MetricRegistry metrics;

    @Resource
    ManagedScheduledExecutorService scheduler;

    @Inject
    @ConfigProperty(name = "folio.ws.idle-seconds", defaultValue = "60")
    int idleSeconds;

    private final Set<ClientChannel> open = ConcurrentHashMap.newKeySet();
    private ScheduledFuture<?> sweeping;

    @PostConstruct
    void start() {
        metrics.gauge("folio.sessions.open", open, Set::size);
        long period = Math.max(1, Math.min(idleSeconds, 10));
        sweeping = scheduler.scheduleAtFixedRate(this::closeSilent, period, period, TimeUnit.SECONDS);
    }

    /** Created with the application, so that the metric and the sweep exist before the first session. */
    void startWithTheApplication(@Observes @Initialized(ApplicationScoped.class) Object application) {
        // Observing the event is what creates the bean; start() does the work.
    }

    @PreDestroy
    void stop() {
        sweeping.cancel(false);
    }

    /** How long a session may stay silent; clients learn it in {@code joined} and ping well within it. */
    int idleSeconds() {
        return idleSeconds;
    }

    void opened(ClientChannel channel) {
        open.add(channel);
    }

    void closed(ClientChannel channel) {
        open.remove(channel);
    }

    private void closeSilent() {
        long limit = TimeUnit.SECONDS.toNanos(idleSeconds);
        for (ClientChannel channel : open) {
            if (channel.silentFor() > limit) {
                channel.sendAndClose(ClientChannel.IDLE, "idle", "no frame for " + idleSeconds + " s; send pings");
            }
        }
    }
}
