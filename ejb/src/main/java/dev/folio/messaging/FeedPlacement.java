package dev.folio.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.KafkaException;

/**
 * Whether this node's {@link DeltaFeed} has fixed where it reads each partition from. A document
 * read from the log before that could miss the records between the end of its read and the place
 * the feed then takes (the log's end at that later moment), so opening a document waits for it.
 */
@ApplicationScoped
public class FeedPlacement {

    private final CountDownLatch placed = new CountDownLatch(1);

    /** The feed fixed its position in every partition; from now on it misses no record. */
    void placed() {
        placed.countDown();
    }

    public boolean isPlaced() {
        return placed.getCount() == 0;
    }

    /**
     * Returns once the feed is placed.
     *
     * @throws KafkaException if it is not within {@code wait} (Kafka unreachable since the node started)
     */
    void await(Duration wait) {
        try {
            if (!placed.await(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new KafkaException("this node's delta feed has not reached Kafka yet");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted while waiting for the delta feed", e);
        }
    }
}
