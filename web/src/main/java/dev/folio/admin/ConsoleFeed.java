package dev.folio.admin;

import dev.folio.access.Caller;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseBroadcaster;
import jakarta.ws.rs.sse.SseEventSink;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.MetricID;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Timer;

/**
 * The admin console's live stream on this node: every {@value #TICK_SECONDS} s it takes a sample of
 * the pipeline's rates for the last hour's charts ({@link PipelineHistory}), and, while anyone
 * listens, builds one {@code tick} event (the nodes, the pipeline, the sessions on each document,
 * the sample) and broadcasts it to every subscriber: the work is per tick, not per subscriber. A
 * subscriber first gets the hour so far ({@code history}); its stream ends ({@code expired}) when
 * the access token that took its ticket expires, so a signed-out or demoted admin stops seeing it.
 */
@ApplicationScoped
public class ConsoleFeed {

    static final int TICK_SECONDS = 2;

    /** An hour of ticks. */
    static final int SAMPLES = 3600 / TICK_SECONDS;

    private static final Logger LOG = Logger.getLogger(ConsoleFeed.class.getName());

    @Resource
    ManagedThreadFactory threads;

    @Inject
    MetricRegistry metrics;

    @Inject
    NodesView nodes;

    @Inject
    PipelineView pipeline;

    private final PipelineHistory history = new PipelineHistory(SAMPLES);

    /** Each open stream, with when its admin's token expires. */
    private final Map<SseEventSink, Instant> subscribers = new ConcurrentHashMap<>();

    private ScheduledExecutorService scheduler;
    private Reading last;
    private volatile Sse sse;
    private volatile SseBroadcaster broadcaster;

    @PostConstruct
    void start() {
        last = read();
        scheduler = Executors.newSingleThreadScheduledExecutor(threads);
        scheduler.scheduleAtFixedRate(this::tick, TICK_SECONDS, TICK_SECONDS, TimeUnit.SECONDS);
    }

    /** Created with the application, so that the charts' hour starts with the node. */
    void startWithTheApplication(@Observes @Initialized(ApplicationScoped.class) Object application) {
        // Observing the event is what creates the bean; start() does the work.
    }

    @PreDestroy
    void stop() {
        scheduler.shutdownNow();
        subscribers.keySet().forEach(SseEventSink::close);
    }

    /** Adds a stream: it gets the last hour's samples at once, then every tick. */
    public void subscribe(Sse sse, SseEventSink sink, Caller admin) {
        SseBroadcaster joined = broadcaster(sse);
        subscribers.put(sink, admin.expiresAt());
        sink.send(event("history", history.columns()));
        joined.register(sink);
        LOG.fine(() -> admin + " watches the console's stream; " + subscribers.size() + " streams open");
    }

    /** Open streams now (closed ones are dropped at each tick). */
    public int subscribers() {
        return subscribers.size();
    }

    private synchronized SseBroadcaster broadcaster(Sse from) {
        if (broadcaster == null) {
            sse = from;
            broadcaster = from.newBroadcaster();
            broadcaster.onClose(subscribers::remove);
            broadcaster.onError((sink, e) -> {
                // A client gone: its writes fail. The broadcaster must not keep writing to it.
                subscribers.remove(sink);
                sink.close();
            });
        }
        return broadcaster;
    }

    private void tick() {
        try {
            Reading now = read();
            PipelineHistory.Sample sample = now.since(last);
            last = now;
            history.add(sample);
            endExpired();
            if (!subscribers.isEmpty()) {
                broadcaster.broadcast(event("tick", tick(sample)));
            }
        } catch (RuntimeException e) {
            // A task that throws is never run again: the stream must go on.
            LOG.log(Level.WARNING, "the console's tick failed; again in " + TICK_SECONDS + " s", e);
        }
    }

    private JsonObject tick(PipelineHistory.Sample sample) {
        Instant now = Instant.now();
        return Json.createObjectBuilder()
                .add("at", now.toString())
                .add("nodes", nodes.nodes(now))
                .add("pipeline", pipeline.now())
                .add("sessions", nodes.sessionsByDocument(now))
                .add("sample", PipelineHistory.json(sample))
                .build();
    }

    /** Closes the streams that are closed already, or whose admin's token has expired. */
    private void endExpired() {
        Instant now = Instant.now();
        subscribers.forEach((sink, expiresAt) -> {
            if (sink.isClosed()) {
                subscribers.remove(sink);
            } else if (!expiresAt.isAfter(now)) {
                subscribers.remove(sink);
                sink.send(event("expired", Json.createObjectBuilder().build()))
                        .whenComplete((sent, failed) -> sink.close());
            }
        });
    }

    private OutboundSseEvent event(String name, JsonObject data) {
        return sse.newEventBuilder()
                .name(name)
                .data(data.toString())
                .reconnectDelay(TimeUnit.SECONDS.toMillis(TICK_SECONDS))
                .build();
    }

    private Reading read() {
        return new Reading(
                System.nanoTime(),
                System.currentTimeMillis(),
                count("folio.deltas.accepted"),
                timer("folio.deltas.publish"),
                timer("folio.bridge.queued"),
                timer("folio.feed.delay"));
    }

    private long count(String name) {
        Counter counter = metrics.getCounters().get(new MetricID(name));
        return counter == null ? 0 : counter.getCount();
    }

    private Stage timer(String name) {
        Timer timer = metrics.getTimers().get(new MetricID(name));
        return timer == null ? Stage.NONE : new Stage(timer.getCount(), timer.getElapsedTime());
    }

    /** A timer's count and total time at one moment. */
    record Stage(long count, Duration elapsed) {
        static final Stage NONE = new Stage(0, Duration.ZERO);

        /** The mean time of the events since {@code before}, in ms; null if there were none. */
        Double meanMillisSince(Stage before) {
            long events = count - before.count;
            return events <= 0 ? null : elapsed.minus(before.elapsed).toNanos() / 1e6 / events;
        }
    }

    /** The metrics the charts are made of, at one moment. */
    record Reading(long nanos, long atMillis, long deltas, Stage publish, Stage broker, Stage kafka) {

        PipelineHistory.Sample since(Reading before) {
            double seconds = Math.max(1e-3, (nanos - before.nanos) / 1e9);
            return new PipelineHistory.Sample(
                    atMillis,
                    Math.max(0, deltas - before.deltas) / seconds,
                    publish.meanMillisSince(before.publish),
                    broker.meanMillisSince(before.broker),
                    kafka.meanMillisSince(before.kafka));
        }
    }
}
