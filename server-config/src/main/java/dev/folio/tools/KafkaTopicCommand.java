package dev.folio.tools;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * {@code KafkaTopicCommand BOOTSTRAP TOPIC PARTITIONS TIMEOUT_SECONDS}: waits until the Kafka broker
 * answers, creates TOPIC with PARTITIONS partitions (replication factor 1) if it is missing, and
 * prints its partition count. Run by {@code server-config/bin/local-kafka} as a source file with
 * Kafka's jars. Exit 1 if the broker does not answer in time; an existing topic with another
 * partition count is kept (Kafka can only add partitions) and reported.
 */
public final class KafkaTopicCommand {

    private KafkaTopicCommand() {}

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 4) {
            System.err.println("usage: KafkaTopicCommand BOOTSTRAP TOPIC PARTITIONS TIMEOUT_SECONDS");
            System.exit(2);
        }
        String topic = args[1];
        int partitions = Integer.parseInt(args[2]);
        Instant deadline = Instant.now().plusSeconds(Long.parseLong(args[3]));
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, args[0],
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000))) {
            while (true) {
                try {
                    if (!admin.listTopics().names().get().contains(topic)) {
                        try {
                            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1)))
                                    .all()
                                    .get();
                            System.out.println("created topic " + topic);
                        } catch (ExecutionException e) {
                            if (!(e.getCause() instanceof TopicExistsException)) {
                                throw e;
                            }
                        }
                    }
                    TopicDescription description = admin.describeTopics(Set.of(topic))
                            .allTopicNames()
                            .get()
                            .get(topic);
                    int actual = description.partitions().size();
                    System.out.println("topic " + topic + ": " + actual + " partitions");
                    if (actual != partitions) {
                        System.err.println("warning: " + topic + " has " + actual + " partitions, not " + partitions
                                + "; delete the data folder to start over");
                    }
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
}
