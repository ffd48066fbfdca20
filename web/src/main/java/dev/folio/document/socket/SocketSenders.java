package dev.folio.document.socket;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The threads that write to WebSockets. A plain pool of container-made threads: a managed
 * executor captures the caller's context on every task, which measured as most of the server's
 * time when done per frame (docs/benchmarks.md).
 */
@ApplicationScoped
public class SocketSenders {

    @Resource
    ManagedThreadFactory threads;

    @Inject
    @ConfigProperty(name = "folio.ws.sender-threads", defaultValue = "8")
    int senderThreads;

    private ExecutorService pool;

    /** Set on the sender threads, so that the container's work done on them can be told apart. */
    private static final ThreadLocal<Boolean> SENDER = ThreadLocal.withInitial(() -> false);

    @PostConstruct
    void start() {
        pool = Executors.newFixedThreadPool(
                Math.max(1, senderThreads),
                task -> threads.newThread(() -> {
                    SENDER.set(true);
                    task.run();
                }));
    }

    /** Whether the calling thread is one of the threads that write to WebSockets. */
    static boolean isSenderThread() {
        return SENDER.get();
    }

    @PreDestroy
    void stop() {
        pool.shutdownNow();
    }

    Executor executor() {
        return pool;
    }
}
