package dev.folio.document.socket;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.logging.Logger;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;

/**
 * What the server refuses because of what a client sent: each refusal is counted as {@code
 * folio.refusals}, tagged with its code, and logged with the document id, at most {@value
 * #LINES_PER_MINUTE} lines a minute on a node. A client sends as many bad frames as it likes; the
 * log must not grow at its pace (issue 19), and what it sent is escaped and cut ({@link
 * Frames#forLog}), so that it cannot forge a line either.
 */
@ApplicationScoped
public class Refusals {

    static final int LINES_PER_MINUTE = 60;

    private static final Logger LOG = Logger.getLogger(Refusals.class.getName());

    @Inject
    MetricRegistry metrics;

    private final LogBudget budget = new LogBudget(LINES_PER_MINUTE, Duration.ofMinutes(1), System.nanoTime());

    /** Counts and perhaps logs a refusal with its {@code code}; {@code why} may hold what the client sent. */
    void refused(ClientChannel channel, String code, String why) {
        metrics.counter("folio.refusals", new Tag("code", code)).inc();
        long heldBack = budget.take(System.nanoTime());
        if (heldBack == LogBudget.HELD_BACK) {
            return;
        }
        String sender = channel.site() > 0
                ? "site " + channel.site() + " (" + channel.caller() + ")"
                : String.valueOf(channel.caller());
        LOG.info(() -> "document " + channel.documentId + ": refused " + code + " from " + sender + ": "
                + Frames.forLog(why)
                + (heldBack > 0 ? " (" + heldBack + " refusals before this one were not logged)" : ""));
    }
}
