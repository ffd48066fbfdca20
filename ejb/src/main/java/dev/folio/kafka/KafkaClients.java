package dev.folio.kafka;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * This node's Kafka clients: where the broker is, which topic holds the log, and the settings every
 * client shares. Each client gets its own id (node name, purpose, a number), which is how the
 * broker's logs and metrics tell the nodes' clients apart (and Kafka registers one JMX bean per id).
 *
 * <p>Timeouts are short: every caller here retries on its own terms, and a client that waited
 * minutes for a broker would notice a restored one late.
 */
@ApplicationScoped
public class KafkaClients {

    /**
     * Kafka's INFO log is a dump of every client's configuration, and each unreachable broker is a
     * WARN every reconnect backoff: quiet by default, unless the server's logging configuration set a
     * level for them. Held here: java.util.logging keeps its loggers only weakly.
     */
    private static final List<Logger> QUIETENED =
            List.of(Logger.getLogger("org.apache.kafka"), Logger.getLogger("org.apache.kafka.clients.NetworkClient"));

    private static final Map<String, Level> QUIET_LEVELS =
            Map.of("org.apache.kafka", Level.WARNING, "org.apache.kafka.clients.NetworkClient", Level.SEVERE);

    @Inject
    @ConfigProperty(name = "folio.kafka.bootstrap", defaultValue = "127.0.0.1:9092")
    String bootstrap;

    @Inject
    @ConfigProperty(name = "folio.kafka.topic", defaultValue = "folio.deltas")
    String topic;

    /** The consumer group every node's event-log writer joins; one per topic. */
    @Inject
    @ConfigProperty(name = "folio.eventlog.group", defaultValue = "folio-event-log")
    String eventLogGroup;

    @Inject
    @ConfigProperty(name = "folio.node.name")
    Optional<String> nodeName;

    private final AtomicInteger clients = new AtomicInteger();
    private String node;

    @PostConstruct
    void start() {
        node = nodeName.filter(name -> !name.isBlank()).orElseGet(KafkaClients::hostWithSuffix);
        quietenKafkaLog();
    }

    private static String hostWithSuffix() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "folio";
        }
        // Two nodes on one host (tests, a laptop) must not share client ids.
        return host + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static void quietenKafkaLog() {
        for (Logger logger : QUIETENED) {
            if (logger.getLevel() == null) {
                logger.setLevel(QUIET_LEVELS.get(logger.getName()));
            }
        }
    }

    public String bootstrap() {
        return bootstrap;
    }

    public String topic() {
        return topic;
    }

    public String node() {
        return node;
    }

    public String eventLogGroup() {
        return eventLogGroup;
    }

    /** An admin client, for reading consumer groups' positions and the log's offsets. */
    public Admin admin(String purpose) {
        Map<String, Object> config = common(purpose);
        config.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000);
        return Admin.create(config);
    }

    /** Keys are document ids, values the records' bytes; idempotent, acknowledged by every replica. */
    public KafkaProducer<String, byte[]> producer(String purpose, Map<String, Object> settings) {
        Map<String, Object> config = common(purpose);
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        config.putAll(settings);
        return new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }

    /** A consumer that commits nothing unless asked to; without a group unless {@code settings} names one. */
    public KafkaConsumer<String, byte[]> consumer(String purpose, Map<String, Object> settings) {
        Map<String, Object> config = common(purpose);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000);
        config.putAll(settings);
        return new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
    }

    private Map<String, Object> common(String purpose) {
        Map<String, Object> config = new HashMap<>();
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(
                CommonClientConfigs.CLIENT_ID_CONFIG,
                "folio-" + node + "-" + purpose + "-" + clients.incrementAndGet());
        config.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, 3_000);
        config.put(CommonClientConfigs.RECONNECT_BACKOFF_MS_CONFIG, 100);
        config.put(CommonClientConfigs.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1_000);
        config.put(CommonClientConfigs.RETRY_BACKOFF_MS_CONFIG, 100);
        config.put(CommonClientConfigs.RETRY_BACKOFF_MAX_MS_CONFIG, 1_000);
        return config;
    }
}
