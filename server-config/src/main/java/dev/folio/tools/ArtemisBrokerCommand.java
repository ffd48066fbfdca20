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
 * Runs until SIGTERM, which stops the broker cleanly.
 */
public final class ArtemisBrokerCommand {

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
                .addQueueConfiguration(QueueConfiguration.of("DLQ").setRoutingType(RoutingType.ANYCAST))
                .addQueueConfiguration(QueueConfiguration.of("ExpiryQueue").setRoutingType(RoutingType.ANYCAST));
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
}
