package dev.folio.document.socket;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.metrics.MetricRegistry;

/** How many WebSocket sessions are open, as the metric {@code folio.sessions.open}. */
@ApplicationScoped
public class SessionCount {

    private final AtomicInteger open = new AtomicInteger();

    @Inject
    MetricRegistry metrics;

    @PostConstruct
    void register() {
        metrics.gauge("folio.sessions.open", open, AtomicInteger::get);
    }

    void opened() {
        open.incrementAndGet();
    }

    void closed() {
        open.decrementAndGet();
    }
}
