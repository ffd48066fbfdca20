package dev.folio.system;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The event pipeline's services that every Folio node needs (Artemis for accepted deltas, Kafka
 * topic {@code topic} that every node reads, DynamoDB Local for the event table), and the
 * environment that points a node at them.
 */
record PipelineServices(ArtemisBroker artemis, KafkaBroker kafka, String topic, DynamoDbLocal dynamo) {

    /** The suite's three, on the test ports, each started once (side by side) on first use. */
    static PipelineServices shared() throws Exception {
        CompletableFuture<ArtemisBroker> artemis = InBackground.start(ArtemisBroker::shared);
        CompletableFuture<KafkaBroker> kafka = InBackground.start(KafkaBroker::shared);
        CompletableFuture<DynamoDbLocal> dynamo = InBackground.start(DynamoDbLocal::shared);
        return new PipelineServices(
                InBackground.await(artemis), InBackground.await(kafka), KafkaBroker.TOPIC, InBackground.await(dynamo));
    }

    /** The same services with another broker: for a test that stops its broker. */
    PipelineServices withArtemis(ArtemisBroker broker) {
        return new PipelineServices(broker, kafka, topic, dynamo);
    }

    /** The same services with another topic (created first): nodes on it never see the suite's deltas. */
    PipelineServices withTopic(String name, int partitions) throws Exception {
        kafka.createTopic(name, partitions);
        return new PipelineServices(artemis, kafka, name, dynamo);
    }

    /**
     * The environment of a node named {@code nodeName} (unique among the nodes on these services)
     * storing into {@code jdbcUrl} (user and password folio); a copy that the caller may add to.
     */
    Map<String, String> nodeEnvironment(String nodeName, String jdbcUrl) {
        Map<String, String> environment = new HashMap<>();
        environment.put("FOLIO_DB_URL", jdbcUrl);
        environment.put("FOLIO_DB_USER", "folio");
        environment.put("FOLIO_DB_PASSWORD", "folio");
        environment.put("FOLIO_ARTEMIS_HOST", "127.0.0.1");
        environment.put("FOLIO_ARTEMIS_PORT", Integer.toString(artemis.port()));
        environment.put("FOLIO_KAFKA_BOOTSTRAP", kafka.bootstrap());
        environment.put("FOLIO_KAFKA_TOPIC", topic);
        environment.put("FOLIO_DYNAMODB_ENDPOINT", dynamo.endpoint().toString());
        environment.put("FOLIO_EVENT_TABLE", DynamoDbLocal.TABLE);
        environment.put("FOLIO_NODE_NAME", nodeName);
        // The system tests' clients are nearly all one user, who joins far more often than a person.
        environment.put("FOLIO_WS_JOINS_PER_MINUTE", "1200");
        environment.put("FOLIO_WS_JOIN_BURST", "200");
        // And every one of them connects from 127.0.0.1 (AddressLimitsIT tests the limit on a node of its own).
        environment.put("FOLIO_WS_HANDSHAKES_PER_MINUTE", "600000");
        environment.put("FOLIO_WS_HANDSHAKE_BURST", "20000");
        // DynamoDB Local takes any credentials and region, but an AWS SDK client built with the
        // default providers fails without some: these keep it from reading a developer's real ones.
        environment.put("AWS_REGION", "us-east-1");
        environment.put("AWS_ACCESS_KEY_ID", "folio");
        environment.put("AWS_SECRET_ACCESS_KEY", "folio");
        environment.putAll(TestTokens.shared().nodeEnvironment());
        return environment;
    }
}
