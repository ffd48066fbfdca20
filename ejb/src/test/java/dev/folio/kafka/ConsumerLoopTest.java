package dev.folio.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** The loop the delta feed and the event-log writer read Kafka with, against Kafka's MockConsumer. */
class ConsumerLoopTest {

    private static final TopicPartition PARTITION = new TopicPartition("folio.deltas", 0);

    private final BlockingQueue<String> read = new LinkedBlockingQueue<>();
    private final List<MockConsumer<String, byte[]>> opened = new CopyOnWriteArrayList<>();
    private final List<KafkaException> outages = new CopyOnWriteArrayList<>();

    @Test
    void aKafkaFailureOpensANewConsumerThatGoesOnFromWhereTheReaderWas() throws InterruptedException {
        ConsumerLoop loop = loop(new ConsumerLoop.Reader() {
            long next;

            @Override
            public void open(Consumer<String, byte[]> consumer) {
                consumer.assign(List.of(PARTITION));
                consumer.seek(PARTITION, next);
                MockConsumer<String, byte[]> mock = (MockConsumer<String, byte[]>) consumer;
                if (opened.size() == 1) {
                    mock.schedulePollTask(() -> {
                        mock.addRecord(record(0, "a"));
                        mock.addRecord(record(1, "b"));
                    });
                    mock.schedulePollTask(() -> mock.setPollException(new KafkaException("broker gone")));
                } else {
                    // The new consumer is placed by the reader: what came before its position is not read again.
                    mock.addRecord(record(0, "a"));
                    mock.addRecord(record(1, "b"));
                    mock.addRecord(record(2, "c"));
                }
            }

            @Override
            public void pollOnce(Consumer<String, byte[]> consumer) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(10))) {
                    read.add(new String(record.value()));
                    next = record.offset() + 1;
                }
            }
        });

        loop.start(Thread::new);
        try {
            assertEquals("a", read.poll(5, TimeUnit.SECONDS));
            assertEquals("b", read.poll(5, TimeUnit.SECONDS));
            assertEquals("c", read.poll(5, TimeUnit.SECONDS));
        } finally {
            loop.stop();
        }

        assertEquals(2, opened.size(), "a new consumer after the failure");
        assertEquals(1, outages.size(), "the failure told once");
        assertTrue(opened.get(0).closed(), "the failed consumer closed");
        assertTrue(read.isEmpty(), "nothing read twice");
    }

    @Test
    void stopEndsAPollInProgressAndClosesTheConsumer() throws InterruptedException {
        CountDownLatch polling = new CountDownLatch(1);
        ConsumerLoop loop = loop(new ConsumerLoop.Reader() {
            @Override
            public void open(Consumer<String, byte[]> consumer) {
                consumer.assign(List.of(PARTITION));
                consumer.seek(PARTITION, 0);
            }

            @Override
            public void pollOnce(Consumer<String, byte[]> consumer) {
                polling.countDown();
                consumer.poll(Duration.ofMinutes(1)); // MockConsumer returns at once, or throws once woken
            }
        });
        loop.start(Thread::new);
        assertTrue(polling.await(5, TimeUnit.SECONDS));

        loop.stop();

        assertFalse(loop.running());
        assertTrue(opened.get(0).closed());
        assertEquals(1, opened.size(), "no consumer opened after the stop");
        assertTrue(outages.isEmpty(), "a stop is no outage");
    }

    private ConsumerLoop loop(ConsumerLoop.Reader reader) {
        return new ConsumerLoop(
                "test-loop",
                () -> {
                    MockConsumer<String, byte[]> consumer = new MockConsumer<>("none");
                    consumer.updateBeginningOffsets(Map.of(PARTITION, 0L));
                    opened.add(consumer);
                    return consumer;
                },
                reader,
                outages::add,
                Duration.ofMillis(1),
                Duration.ofMillis(10));
    }

    private static ConsumerRecord<String, byte[]> record(long offset, String value) {
        return new ConsumerRecord<>(PARTITION.topic(), PARTITION.partition(), offset, "key", value.getBytes());
    }
}
