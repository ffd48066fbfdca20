package dev.folio.system;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.Message;
import jakarta.jms.Queue;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexDescription;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

/**
 * The local event-pipeline services, each through the client the app will use: the suite's broker
 * has the queue of accepted deltas, its dead-letter queue and their redelivery settings; a
 * persistent Jakarta Messaging message survives an Artemis restart; Kafka's topic has the
 * configured partitions and keeps one document's records in one partition, in order; DynamoDB's
 * event table stores a redelivered event once and replays a document's events in Kafka-offset
 * order. Nothing here sends to the suite's {@code folio.deltas} queue or topic: the suite's nodes
 * read both and would take test messages for deltas.
 */
class EventServicesIT {

    private static final Duration PATIENCE = Duration.ofSeconds(20);

    /** For the restart test only: a broker of its own, so the suite's nodes never lose theirs. */
    private static final int RESTARTED_BROKER_PORT = 61736;

    /** Keyed records go here, with the delta topic's partition count, not to the topic the nodes read. */
    private static final String KEYED_TOPIC = "folio.test.keyed";

    static PipelineServices services;
    static DynamoDbClient dynamoClient;

    @BeforeAll
    static void startServices() throws Exception {
        services = PipelineServices.shared();
        dynamoClient = DynamoDbClient.builder()
                .endpointOverride(services.dynamo().endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("folio", "folio")))
                .build();
    }

    @AfterAll
    static void closeClients() {
        if (dynamoClient != null) {
            dynamoClient.close();
        }
    }

    // --- Artemis -----------------------------------------------------------------------------------

    @Test
    void theDeltaQueueAndItsDeadLetterQueueExistFromTheStartAsAnycastQueues() throws Exception {
        try (ArtemisManagement broker =
                ArtemisManagement.connect(services.artemis().url())) {
            for (String queue : List.of(ArtemisBroker.DELTAS, ArtemisBroker.DEAD_DELTAS)) {
                ClientSession.QueueQuery query = broker.queue(queue);
                assertTrue(query.isExists(), queue + " does not exist");
                assertEquals(RoutingType.ANYCAST, query.getRoutingType(), queue);
                assertEquals(queue, query.getAddress().toString(), queue);
                assertTrue(query.isDurable(), queue + " is not durable");
            }
        }
    }

    @Test
    void theDeltaAddressDeadLettersAfterTenDeliveriesRedeliveredAtOnceToKeepEachDocumentsOrder() throws Exception {
        try (ArtemisManagement broker =
                ArtemisManagement.connect(services.artemis().url())) {
            JsonObject settings = broker.addressSettings(ArtemisBroker.DELTAS);
            assertEquals(ArtemisBroker.DEAD_DELTAS, settings.getString("deadLetterAddress"), settings.toString());
            assertEquals(10, settings.getInt("maxDeliveryAttempts"), settings.toString());
            assertEquals(0, settings.getJsonNumber("redeliveryDelay").longValue(), settings.toString());
            // The catch-all settings still apply to what the delta address does not set.
            assertEquals("ExpiryQueue", settings.getString("expiryAddress"), settings.toString());
        }
    }

    @Test
    void aPersistentMessageSentToAQueueIsReceivedEvenAfterTheBrokerRestarts() throws Exception {
        ArtemisBroker artemis = ArtemisBroker.own(RESTARTED_BROKER_PORT, "artemis-restart");
        artemis.start();
        try {
            String queueName = "folio.test." + UUID.randomUUID();
            String body = "delta for " + UUID.randomUUID();
            try (ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(artemis.url())) {
                try (JMSContext context = factory.createContext()) {
                    Queue queue = context.createQueue(queueName);
                    context.createProducer()
                            .setDeliveryMode(DeliveryMode.PERSISTENT)
                            .send(queue, body);
                }
            }

            // The send returned, so the message is in the journal: a clean restart must not lose it.
            artemis.restart();

            try (ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(artemis.url());
                    JMSContext context = factory.createContext();
                    JMSConsumer consumer = context.createConsumer(context.createQueue(queueName))) {
                Message received = consumer.receive(PATIENCE.toMillis());
                assertTrue(received != null, "nothing received from " + queueName + " after the restart");
                assertEquals(body, received.getBody(String.class));
                assertEquals(DeliveryMode.PERSISTENT, received.getJMSDeliveryMode());
                assertTrue(consumer.receiveNoWait() == null, "the message was delivered twice");
            }
        } finally {
            artemis.stop();
        }
    }

    // --- Kafka -------------------------------------------------------------------------------------

    @Test
    void theDeltaTopicHasTheConfiguredPartitions() throws Exception {
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, services.kafka().bootstrap()))) {
            int partitions = admin.describeTopics(Set.of(KafkaBroker.TOPIC))
                    .allTopicNames()
                    .get()
                    .get(KafkaBroker.TOPIC)
                    .partitions()
                    .size();
            assertEquals(KafkaBroker.PARTITIONS, partitions);
        }
    }

    /**
     * What an ack relies on is set by the script, not left to Kafka's defaults: no unclean leader
     * election, min.insync.replicas, and a retention long enough for the event-log writer to catch
     * up after an outage (docs/operations.md).
     */
    @Test
    void theDeltaTopicKeepsWhatAnAckReliesOn() throws Exception {
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, services.kafka().bootstrap()))) {
            ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, KafkaBroker.TOPIC);
            Config config = admin.describeConfigs(Set.of(topic)).all().get().get(topic);
            assertEquals("false", config.get("unclean.leader.election.enable").value());
            assertEquals("1", config.get("min.insync.replicas").value());
            assertEquals(
                    Long.toString(7L * 24 * 3600 * 1000),
                    config.get("retention.ms").value(),
                    "seven days, set explicitly");
            assertEquals(
                    ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG,
                    config.get("retention.ms").source(),
                    "set on the topic, not Kafka's default");
        }
    }

    @Test
    void aDocumentsRecordsGoToThePartitionItsIdMapsToAndAreConsumedInOrder() throws Exception {
        services.kafka().createTopic(KEYED_TOPIC, KafkaBroker.PARTITIONS);
        String documentId = UUID.randomUUID().toString();
        // The default partitioner's mapping, which every producer shares: the same on any topic with
        // this many partitions.
        int partition = Utils.toPositive(Utils.murmur2(documentId.getBytes(UTF_8))) % KafkaBroker.PARTITIONS;

        List<RecordMetadata> sent = new ArrayList<>();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                services.kafka().bootstrap(),
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                true,
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                StringSerializer.class))) {
            for (String delta : List.of("delta 1", "delta 2", "delta 3")) {
                sent.add(producer.send(new ProducerRecord<>(KEYED_TOPIC, documentId, delta))
                        .get());
            }
        }
        for (RecordMetadata metadata : sent) {
            assertEquals(partition, metadata.partition(), "a record of the document left its partition");
        }

        TopicPartition topicPartition = new TopicPartition(KEYED_TOPIC, partition);
        List<ConsumerRecord<String, String>> received = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                services.kafka().bootstrap(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false))) {
            consumer.assign(List.of(topicPartition));
            consumer.seek(topicPartition, sent.get(0).offset());
            Instant deadline = Instant.now().plus(PATIENCE);
            while (received.size() < sent.size() && Instant.now().isBefore(deadline)) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    if (documentId.equals(record.key())) {
                        received.add(record);
                    }
                }
            }
        }
        assertEquals(
                List.of("delta 1", "delta 2", "delta 3"),
                received.stream().map(ConsumerRecord::value).toList());
        assertEquals(
                sent.stream().map(RecordMetadata::offset).toList(),
                received.stream().map(ConsumerRecord::offset).toList());
    }

    // --- DynamoDB ----------------------------------------------------------------------------------

    @Test
    void theEventTableHasTheDesignsKeysAndTheByDocumentIndex() {
        TableDescription table = dynamoClient
                .describeTable(request -> request.tableName(DynamoDbLocal.TABLE))
                .table();
        assertEquals(List.of(key("pk", KeyType.HASH), key("sk", KeyType.RANGE)), table.keySchema());
        GlobalSecondaryIndexDescription index = table.globalSecondaryIndexes().stream()
                .filter(candidate -> candidate.indexName().equals(DynamoDbLocal.BY_DOCUMENT))
                .findFirst()
                .orElseThrow();
        assertEquals(List.of(key("documentId", KeyType.HASH), key("kafkaOffset", KeyType.RANGE)), index.keySchema());
        assertEquals(ProjectionType.ALL, index.projection().projectionType());
        assertEquals(
                "N",
                table.attributeDefinitions().stream()
                        .filter(attribute -> attribute.attributeName().equals("kafkaOffset"))
                        .findFirst()
                        .orElseThrow()
                        .attributeTypeAsString());
    }

    @Test
    void aRedeliveredEventIsStoredOnce() {
        String documentId = UUID.randomUUID().toString();
        Map<String, AttributeValue> event = event(documentId, "op-1", 7);
        put(event);
        assertThrows(ConditionalCheckFailedException.class, () -> put(event));

        int stored = dynamoClient
                .query(request -> request.tableName(DynamoDbLocal.TABLE)
                        .keyConditionExpression("pk = :pk")
                        .expressionAttributeValues(Map.of(":pk", event.get("pk"))))
                .count();
        assertEquals(1, stored);
    }

    @Test
    void theByDocumentIndexReplaysOneDocumentsEventsInKafkaOffsetOrder() {
        String documentId = UUID.randomUUID().toString();
        // Written out of order, and with offsets that sort differently as text (5 < 12 < 30).
        put(event(documentId, "op-c", 30));
        put(event(documentId, "op-a", 5));
        put(event(documentId, "op-b", 12));
        put(event(UUID.randomUUID().toString(), "op-a", 6));

        List<Long> offsets = List.of();
        Instant deadline = Instant.now().plus(PATIENCE);
        // A global secondary index is eventually consistent: read until it holds all three.
        while (offsets.size() < 3 && Instant.now().isBefore(deadline)) {
            offsets = dynamoClient
                    .query(request -> request.tableName(DynamoDbLocal.TABLE)
                            .indexName(DynamoDbLocal.BY_DOCUMENT)
                            .keyConditionExpression("documentId = :document")
                            .expressionAttributeValues(Map.of(":document", AttributeValue.fromS(documentId))))
                    .items()
                    .stream()
                    .map(item -> Long.parseLong(item.get("kafkaOffset").n()))
                    .toList();
        }
        assertEquals(List.of(5L, 12L, 30L), offsets);
    }

    /** An event item with the design's keys. */
    private static Map<String, AttributeValue> event(String documentId, String operationId, long offset) {
        return Map.of(
                "pk", AttributeValue.fromS("documentId#" + documentId + "#operationId#" + operationId),
                "sk", AttributeValue.fromS("documentId#" + documentId + "#kafkaEventOffset#" + offset),
                "documentId", AttributeValue.fromS(documentId),
                "kafkaOffset", AttributeValue.fromN(Long.toString(offset)),
                "delta", AttributeValue.fromS("insert at " + offset));
    }

    private static void put(Map<String, AttributeValue> event) {
        dynamoClient.putItem(request ->
                request.tableName(DynamoDbLocal.TABLE).item(event).conditionExpression("attribute_not_exists(pk)"));
    }

    private static KeySchemaElement key(String name, KeyType type) {
        return KeySchemaElement.builder().attributeName(name).keyType(type).build();
    }
}
