package dev.folio.document.socket;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.websocket.Session;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Moves each WebSocket session's idle timer off the container's managed scheduled executor. Tyrus
 * re-arms that timer on every message received and every message sent, each time as a task on
 * {@code java:comp/DefaultManagedScheduledExecutorService}, whose context capture (a ServiceLoader
 * scan per task, even with context propagation off) took 31 % of a loaded node's CPU
 * (docs/benchmarks.md, "Where the time goes"). Folio closes silent sessions itself ({@link
 * OpenSessions}) and sets Tyrus' idle timeout to 0, so the timer only runs a check that does
 * nothing: on a plain scheduler it costs microseconds.
 *
 * <p>Tyrus has no setting for it, and the default executor cannot be switched off (CDI needs it);
 * this sets the session's private executor field. Where that field is not there (another Tyrus),
 * sessions are left as they are, and the log says so once.
 *
 * <p>The same re-arming is the only sign the application gets of a control frame: Tyrus answers
 * pings itself and tells no one (a probe sent 445,500 in 3 s, unlimited). So each session gets a
 * view of the scheduler that reports every re-arming on a thread other than the {@link
 * SocketSenders}' (a frame received, text, binary, ping or pong; a ping's pong counts again) to a
 * callback, which counts it against the session's budget.
 */
@ApplicationScoped
public class PlainIdleTimers {

    private static final Logger LOG = Logger.getLogger(PlainIdleTimers.class.getName());

    @Resource
    ManagedThreadFactory threads;

    private ScheduledThreadPoolExecutor scheduler;

    /** Tyrus' {@code TyrusSession.service}, or null once it turned out not to be there. */
    private volatile Field executorField;

    private volatile boolean lookedUp;

    @PostConstruct
    void start() {
        scheduler = new ScheduledThreadPoolExecutor(1, threads);
        // Re-armed on every message: a cancelled timer must not wait in the queue for its delay.
        scheduler.setRemoveOnCancelPolicy(true);
    }

    @PreDestroy
    void stop() {
        scheduler.shutdownNow();
    }

    /**
     * Gives {@code session}'s idle timer the plain scheduler, calling {@code onFrameReceived} for
     * each frame the session receives; call before anything re-arms it.
     *
     * @return whether frames are reported: false where the container is not the Tyrus this knows
     */
    boolean adopt(Session session, Runnable onFrameReceived) {
        Field field = executorField(session);
        if (field == null) {
            return false;
        }
        try {
            field.set(session, reporting(onFrameReceived));
            return true;
        } catch (IllegalAccessException | IllegalArgumentException e) {
            LOG.log(Level.INFO, "WebSocket idle timers stay on the container's scheduler", e);
            executorField = null;
            return false;
        }
    }

    /** The shared scheduler, as a view that reports re-armings made off the sender threads. */
    private ScheduledExecutorService reporting(Runnable onFrameReceived) {
        InvocationHandler handler = (proxy, method, arguments) -> {
            if (method.getName().equals("schedule") && !SocketSenders.isSenderThread()) {
                onFrameReceived.run();
            }
            try {
                return method.invoke(scheduler, arguments);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return (ScheduledExecutorService) Proxy.newProxyInstance(
                ScheduledExecutorService.class.getClassLoader(),
                new Class<?>[] {ScheduledExecutorService.class},
                handler);
    }

    private Field executorField(Session session) {
        if (!lookedUp) {
            synchronized (this) {
                if (!lookedUp) {
                    executorField = find(session.getClass());
                    lookedUp = true;
                }
            }
        }
        Field field = executorField;
        return field != null && field.getDeclaringClass().isInstance(session) ? field : null;
    }

    private static Field find(Class<?> sessionClass) {
        try {
            Field field = sessionClass.getDeclaredField("service");
            if (field.getType() != ScheduledExecutorService.class) {
                throw new NoSuchFieldException("service is a " + field.getType());
            }
            field.setAccessible(true);
            return field;
        } catch (NoSuchFieldException | RuntimeException e) {
            LOG.info(() -> "WebSocket idle timers stay on the container's scheduler: " + sessionClass.getName()
                    + " has no executor field as Tyrus 2 has (" + e.getMessage() + ")");
            return null;
        }
    }
}
