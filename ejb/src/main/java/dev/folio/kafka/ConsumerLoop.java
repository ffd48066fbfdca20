package dev.folio.kafka;

import java.time.Duration;
import java.util.concurrent.ThreadFactory;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.WakeupException;

/**
 * A thread of its own that reads Kafka until stopped: it opens a consumer, places it, and polls
 * round after round; when Kafka fails it closes the consumer, waits (longer each time, up to a
 * limit) and opens a new one. The delta feed and the event-log writer each run one; what they do
 * with the records is theirs.
 *
 * <p>Only the loop's thread touches the consumer, except {@link #stop}, which wakes it up (the one
 * call a consumer takes from another thread).
 */
public final class ConsumerLoop {

    /** What a reader does with its consumer. Both run on the loop's thread. */
    public interface Reader {

        /** Places a consumer just opened: assigns or subscribes, seeks. */
        void open(Consumer<String, byte[]> consumer);

        /** Polls once and handles what came. */
        void pollOnce(Consumer<String, byte[]> consumer);
    }

    private static final Logger LOG = Logger.getLogger(ConsumerLoop.class.getName());

    private final String name;
    private final Supplier<Consumer<String, byte[]>> consumers;
    private final Reader reader;
    private final java.util.function.Consumer<KafkaException> onOutage;
    private final Duration firstRetry;
    private final Duration lastRetry;

    private volatile boolean stopping;
    private volatile Consumer<String, byte[]> consumer;
    private Thread thread;

    /**
     * @param name the thread's name, and the loop's in the log
     * @param consumers opens a new consumer
     * @param onOutage told each time Kafka fails, before the loop waits and opens a new consumer
     */
    public ConsumerLoop(
            String name,
            Supplier<Consumer<String, byte[]>> consumers,
            Reader reader,
            java.util.function.Consumer<KafkaException> onOutage,
            Duration firstRetry,
            Duration lastRetry) {
        if (firstRetry.isNegative() || lastRetry.compareTo(firstRetry) < 0) {
            throw new IllegalArgumentException("retries must grow from " + firstRetry + " to " + lastRetry);
        }
        this.name = name;
        this.consumers = consumers;
        this.reader = reader;
        this.onOutage = onOutage;
        this.firstRetry = firstRetry;
        this.lastRetry = lastRetry;
    }

    public void start(ThreadFactory threads) {
        thread = threads.newThread(this::run);
        thread.setName(name);
        thread.start();
    }

    /** Ends the loop: wakes its consumer from a poll, interrupts a wait, and waits up to 10 s for it. */
    public void stop() {
        stopping = true;
        Consumer<String, byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        thread.interrupt();
        try {
            thread.join(Duration.ofSeconds(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public boolean stopping() {
        return stopping;
    }

    /** Whether the loop's thread runs and has not been told to stop. */
    public boolean running() {
        return thread != null && thread.isAlive() && !stopping;
    }

    /**
     * Waits on the loop's thread, ending the loop if interrupted.
     *
     * @return the next, longer, wait (up to the last retry)
     */
    public Duration pause(Duration wait) {
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopping = true;
        }
        Duration next = wait.multipliedBy(2);
        return next.compareTo(lastRetry) > 0 ? lastRetry : next;
    }

    private void run() {
        Duration wait = firstRetry;
        while (!stopping) {
            try (Consumer<String, byte[]> opened = consumers.get()) {
                consumer = opened;
                if (stopping) {
                    return;
                }
                reader.open(opened);
                while (!stopping) {
                    reader.pollOnce(opened);
                    wait = firstRetry;
                }
            } catch (WakeupException e) {
                // stop() woke the consumer: the loop ends.
            } catch (KafkaException e) {
                if (!stopping) {
                    onOutage.accept(e);
                }
                wait = pause(wait);
            } catch (RuntimeException e) {
                LOG.log(Level.SEVERE, name + " failed; it starts again", e);
                pause(lastRetry);
            } finally {
                consumer = null;
            }
        }
    }
}
