package dev.folio.tools;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * {@code KafkaTopicCommand BOOTSTRAP TOPIC PARTITIONS TIMEOUT_SECONDS [REPLICATION MIN_INSYNC
 * RETENTION_MS]}: waits until the Kafka broker answers, creates TOPIC with PARTITIONS partitions if
 * it is missing, sets the settings an acknowledgement relies on, and prints them. Run by {@code
 * server-config/bin/local-kafka} as a source file with Kafka's jars. Exit 1 if the broker does not
 * answer in time or the topic's replication factor is not REPLICATION (Kafka cannot change it in
 * place); an existing topic with another partition count is kept (Kafka can only add partitions,
 * which would move documents) and reported.
 *
 * <p>An ack means "in Kafka with acks=all": worth only as much as the topic's replication factor
 * (default 1, the single local broker), {@code min.insync.replicas} (default 1) and {@code
 * unclean.leader.election.enable=false} (always). {@code retention.ms} (default 7 days) must exceed
 * the longest time the event-log writer may lag behind the log, since records Kafka drops are read
 * back from the event log only (docs/operations.md, "Retention").
 */
public final class KafkaTopicCommand {

    static final long DEFAULT_RETENTION_MS = 7L * 24 * 60 * 60 * 1000;

    private KafkaTopicCommand() {}

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 4 && args.length != 7) {
            System.err.println("usage: KafkaTopicCommand BOOTSTRAP TOPIC PARTITIONS TIMEOUT_SECONDS"
                    + " [REPLICATION MIN_INSYNC RETENTION_MS]");
            System.exit(2);
        }
        String topic = args[1];
        int partitions = Integer.parseInt(args[2]);
        Instant deadline = Instant.now().plusSeconds(Long.parseLong(args[3]));
        short replication = args.length == 7 ? Short.parseShort(args[4]) : 1;
        Map<String, String> settings = Map.of(
                "min.insync.replicas", args.length == 7 ? args[5] : "1",
                "unclean.leader.election.enable", "false",
                "retention.ms", args.length == 7 ? args[6] : Long.toString(DEFAULT_RETENTION_MS));
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, args[0],
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000))) {
            while (true) {
                try {
                    ensure(admin, topic, partitions, replication, settings);
                    return;
                } catch (ExecutionException e) {
                    if (Instant.now().isAfter(deadline)) {
                        System.err.println("Kafka at " + args[0] + " did not answer: " + e.getCause());
                        System.exit(1);
                    }
                    Thread.sleep(250);
                }
            }
        }
    }

    private static void ensure(
            Admin admin, String topic, int partitions, short replication, Map<String, String> settings)
            throws ExecutionException, InterruptedException {
        if (!admin.listTopics().names().get().contains(topic)) {
            try {
                admin.createTopics(List.of(new NewTopic(topic, partitions, replication).configs(settings)))
                        .all()
                        .get();
                System.out.println("created topic " + topic);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
        }
        TopicDescription description =
                admin.describeTopics(Set.of(topic)).allTopicNames().get().get(topic);
        int actual = description.partitions().size();
        int actualReplication = description.partitions().get(0).replicas().size();
        System.out.println("topic " + topic + ": " + actual + " partitions, replication factor " + actualReplication);
        if (actual != partitions) {
            System.err.println("warning: " + topic + " has " + actual + " partitions, not " + partitions
                    + "; delete the data folder to start over");
        }
        if (actualReplication != replication) {
            System.err.println("error: " + topic + " has replication factor " + actualReplication + ", not "
                    + replication + "; acknowledged edits rely on it (reassign its partitions to fix it)");
            System.exit(1);
        }
        align(admin, topic, settings);
    }

    /** Sets the settings that differ from {@code settings} on an existing topic, and prints them all. */
    private static void align(Admin admin, String topic, Map<String, String> settings)
            throws ExecutionException, InterruptedException {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        Config current = admin.describeConfigs(Set.of(resource)).all().get().get(resource);
        List<AlterConfigOp> changes = new ArrayList<>();
        settings.forEach((name, value) -> {
            ConfigEntry entry = current.get(name);
            // Set on the topic even where Kafka's default agrees: a broker default can change.
            if (entry == null
                    || entry.source() != ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG
                    || !value.equals(entry.value())) {
                changes.add(new AlterConfigOp(new ConfigEntry(name, value), AlterConfigOp.OpType.SET));
            }
        });
        if (!changes.isEmpty()) {
            admin.incrementalAlterConfigs(Map.of(resource, changes)).all().get();
        }
        settings.forEach((name, value) -> System.out.println("topic " + topic + ": " + name + "=" + value));
    }
}
