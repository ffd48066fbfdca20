package dev.folio.tools;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.JournalType;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;

/**
 * {@code ArtemisBrokerCommand HOST PORT DATA_FOLDER}: the local ActiveMQ Artemis broker that
 * {@code server-config/bin/local-artemis} runs (as a source file, with artemis-server's jars). One
 * acceptor (Core, AMQP, OpenWire, STOMP) on HOST:PORT, a persistent journal under DATA_FOLDER, security off,
 * undeliverable and expired messages kept in DLQ and ExpiryQueue as in Artemis' default broker.xml.
 * Folio's queue of accepted deltas, {@value #DELTAS}, and its dead-letter queue, {@value
 * #DEAD_DELTAS}, exist from the start, with the redelivery settings of {@link #deltaSettings()}.
 * Runs until SIGTERM, which stops the broker cleanly.
 */
public final class ArtemisBrokerCommand {

    /** Accepted deltas, sent by every node, read by the bridge that forwards them to Kafka. */
    static final String DELTAS = "folio.deltas";

    /** Where a delta the bridge keeps failing on ends, for an operator to look at (and move back). */
    static final String DEAD_DELTAS = "folio.deltas.dead";

    private static final int SYNCS = 40;

    /** Below this, the journal would sync for nearly every write, however fast the disk. */
    private static final long MIN_BUFFER_TIMEOUT_NANOS = 50_000;

    /** Artemis' default for NIO: no slower than without the measurement, however slow the disk. */
    private static final long MAX_BUFFER_TIMEOUT_NANOS = 3_333_333;

    private ArtemisBrokerCommand() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: ArtemisBrokerCommand HOST PORT DATA_FOLDER");
            System.exit(2);
        }
        Path data = Path.of(args[2]).toAbsolutePath();
        int bufferTimeout = journalBufferTimeoutNanos(data);
        System.out.println("journal buffer timeout " + bufferTimeout + " ns");
        Configuration configuration = new ConfigurationImpl()
                .setName("folio")
                .setPersistenceEnabled(true)
                .setSecurityEnabled(false)
                .setJMXManagementEnabled(false)
                // NIO: the same on every machine (ASYNCIO needs libaio).
                .setJournalType(JournalType.NIO)
                .setJournalBufferTimeout_NIO(bufferTimeout)
                .setJournalDirectory(data.resolve("journal").toString())
                .setBindingsDirectory(data.resolve("bindings").toString())
                .setPagingDirectory(data.resolve("paging").toString())
                .setLargeMessagesDirectory(data.resolve("large-messages").toString())
                .addAcceptorConfiguration("folio", "tcp://" + args[0] + ":" + Integer.parseInt(args[1]))
                .addAddressSetting(
                        "#",
                        new AddressSettings()
                                .setDeadLetterAddress(SimpleString.of("DLQ"))
                                .setExpiryAddress(SimpleString.of("ExpiryQueue")))
                .addAddressSetting(DELTAS, deltaSettings())
                .addQueueConfiguration(QueueConfiguration.of("DLQ").setRoutingType(RoutingType.ANYCAST))
                .addQueueConfiguration(QueueConfiguration.of("ExpiryQueue").setRoutingType(RoutingType.ANYCAST))
                // Created here rather than on first use: an auto-created queue is deleted again
                // once it is empty and has no consumer (the bridge's node down, say), and the
                // dead-letter address needs a queue before the first dead letter (a message routed
                // to an address without a queue is dropped).
                .addQueueConfiguration(QueueConfiguration.of(DELTAS)
                        .setAddress(DELTAS)
                        .setRoutingType(RoutingType.ANYCAST)
                        .setDurable(true))
                .addQueueConfiguration(QueueConfiguration.of(DEAD_DELTAS)
                        .setAddress(DEAD_DELTAS)
                        .setRoutingType(RoutingType.ANYCAST)
                        .setDurable(true));
        EmbeddedActiveMQ broker = new EmbeddedActiveMQ().setConfiguration(configuration);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                broker.stop();
            } catch (Exception e) {
                e.printStackTrace();
            } finally {
                stopped.countDown();
            }
        }));
        broker.start();
        System.out.println("Artemis broker 'folio' on tcp://" + args[0] + ":" + args[1] + ", journal in " + data);
        stopped.await();
    }

    /**
     * How long the journal gathers writes before it syncs them to disk: the time one sync takes on
     * this disk, measured here, as {@code artemis create} measures it for the broker.xml it writes.
     * Artemis' own default for NIO, 3.33 ms, suits a disk that syncs 300 times a second; on a disk
     * that syncs in a tenth of a millisecond it makes every durable send wait for the timer, and
     * each edit's ack waits through two of them (the node's send, the bridge's acknowledgement).
     * {@code FOLIO_ARTEMIS_JOURNAL_BUFFER_TIMEOUT_NS} sets it instead.
     */
    static int journalBufferTimeoutNanos(Path data) throws IOException {
        String configured = System.getenv("FOLIO_ARTEMIS_JOURNAL_BUFFER_TIMEOUT_NS");
        if (configured != null && !configured.isBlank()) {
            return Integer.parseInt(configured.trim());
        }
        long measured = medianSyncNanos(data);
        return (int) Math.max(MIN_BUFFER_TIMEOUT_NANOS, Math.min(MAX_BUFFER_TIMEOUT_NANOS, measured));
    }

    /**
     * The median of {@value #SYNCS} synced 4 KiB writes in {@code folder}, in nanoseconds (here,
     * not in a class of its own: bin/local-artemis may run this file as a single source file).
     */
    private static long medianSyncNanos(Path folder) throws IOException {
        Files.createDirectories(folder);
        Path probe = Files.createTempFile(folder, "sync-time", ".tmp");
        try (FileChannel file = FileChannel.open(probe, StandardOpenOption.WRITE)) {
            ByteBuffer page = ByteBuffer.allocateDirect(4096);
            long[] took = new long[SYNCS];
            for (int i = 0; i < SYNCS; i++) {
                page.clear();
                long start = System.nanoTime();
                file.write(page, (long) i * page.capacity());
                file.force(false);
                took[i] = System.nanoTime() - start;
            }
            Arrays.sort(took);
            return took[SYNCS / 2];
        } finally {
            Files.deleteIfExists(probe);
        }
    }

    /**
     * Redelivery of {@value #DELTAS} (merged over the catch-all "#" settings, so expiry stays as it
     * is). The bridge never rolls a delta back because Kafka is down: it retries the send in place,
     * holding the message. So a redelivery means the bridge died holding it (a crash, a kill -9, an
     * undeploy) or failed on the message itself. Ten attempts ride out a few crashes in a row; a
     * message that still fails is a poison message and goes to {@value #DEAD_DELTAS} rather than
     * block its document's group forever (a message group is delivered in order, so one stuck
     * message stops every later delta of that document). No redelivery delay: a message waiting
     * out a delay is scheduled aside, and the later messages of its group could overtake it on
     * another consumer, breaking the document's order in Kafka. A bridge that dies holding a
     * message is a node that died, so the message simply goes to the next consumer at once.
     * Message grouping (JMSXGroupID = document id) needs no setting: Artemis pins each group to
     * one consumer by default, and moves it when that consumer goes away.
     */
    static AddressSettings deltaSettings() {
        return new AddressSettings()
                .setDeadLetterAddress(SimpleString.of(DEAD_DELTAS))
                .setMaxDeliveryAttempts(10)
                .setRedeliveryDelay(0);
    }
}
