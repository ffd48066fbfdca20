package dev.folio.tools;

import java.nio.file.Path;
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

    private ArtemisBrokerCommand() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: ArtemisBrokerCommand HOST PORT DATA_FOLDER");
            System.exit(2);
        }
        Path data = Path.of(args[2]).toAbsolutePath();
        Configuration configuration = new ConfigurationImpl()
                .setName("folio")
                .setPersistenceEnabled(true)
                .setSecurityEnabled(false)
                .setJMXManagementEnabled(false)
                // NIO: the same on every machine (ASYNCIO needs libaio).
                .setJournalType(JournalType.NIO)
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
