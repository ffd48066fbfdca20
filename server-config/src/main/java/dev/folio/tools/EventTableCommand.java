package dev.folio.tools;

import java.net.URI;
import java.time.Instant;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;

/**
 * {@code EventTableCommand ENDPOINT TABLE TIMEOUT_SECONDS}: waits until DynamoDB at ENDPOINT answers,
 * creates Folio's event table if it is missing, waits until it is ACTIVE and prints its layout. Run by
 * {@code server-config/bin/local-dynamodb} as a source file with DynamoDB Local's jars (which carry
 * the AWS SDK v2 client); the local endpoint takes any credentials and region.
 *
 * <p>The table, as the design says: hash key {@code pk} = {@code documentId#<id>#operationId#<opId>},
 * range key {@code sk} = {@code documentId#<id>#kafkaEventOffset#<offset>}. That hash key cannot be
 * queried per document, so a global secondary index {@code byDocument} (hash {@code documentId},
 * range {@code kafkaOffset}, a number, projecting every attribute) is what replays one document's
 * events in Kafka-offset order.
 */
public final class EventTableCommand {

    private EventTableCommand() {}

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 3) {
            System.err.println("usage: EventTableCommand ENDPOINT TABLE TIMEOUT_SECONDS");
            System.exit(2);
        }
        String table = args[1];
        Instant deadline = Instant.now().plusSeconds(Long.parseLong(args[2]));
        try (DynamoDbClient dynamo = DynamoDbClient.builder()
                .endpointOverride(URI.create(args[0]))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("folio", "folio")))
                .build()) {
            while (true) {
                try {
                    TableDescription description = describeOrCreate(dynamo, table);
                    if (description.tableStatus() == TableStatus.ACTIVE) {
                        System.out.println("table " + table + ": " + description.keySchema() + ", index "
                                + description.globalSecondaryIndexes().stream()
                                        .map(index -> index.indexName() + " " + index.keySchema())
                                        .toList());
                        return;
                    }
                } catch (SdkClientException notAnswering) {
                    if (Instant.now().isAfter(deadline)) {
                        System.err.println("DynamoDB at " + args[0] + " did not answer: " + notAnswering.getMessage());
                        System.exit(1);
                    }
                }
                if (Instant.now().isAfter(deadline)) {
                    System.err.println("table " + table + " did not become ACTIVE in time");
                    System.exit(1);
                }
                Thread.sleep(200);
            }
        }
    }

    private static TableDescription describeOrCreate(DynamoDbClient dynamo, String table) {
        try {
            return dynamo.describeTable(request -> request.tableName(table)).table();
        } catch (ResourceNotFoundException missing) {
            try {
                TableDescription created = dynamo.createTable(request -> request.tableName(table)
                                .billingMode(BillingMode.PAY_PER_REQUEST)
                                .attributeDefinitions(
                                        attribute("pk", ScalarAttributeType.S),
                                        attribute("sk", ScalarAttributeType.S),
                                        attribute("documentId", ScalarAttributeType.S),
                                        attribute("kafkaOffset", ScalarAttributeType.N))
                                .keySchema(key("pk", KeyType.HASH), key("sk", KeyType.RANGE))
                                .globalSecondaryIndexes(GlobalSecondaryIndex.builder()
                                        .indexName("byDocument")
                                        .keySchema(key("documentId", KeyType.HASH), key("kafkaOffset", KeyType.RANGE))
                                        .projection(Projection.builder()
                                                .projectionType(ProjectionType.ALL)
                                                .build())
                                        .build()))
                        .tableDescription();
                System.out.println("created table " + table);
                return created;
            } catch (ResourceInUseException createdMeanwhile) {
                return dynamo.describeTable(request -> request.tableName(table)).table();
            }
        }
    }

    private static AttributeDefinition attribute(String name, ScalarAttributeType type) {
        return AttributeDefinition.builder()
                .attributeName(name)
                .attributeType(type)
                .build();
    }

    private static KeySchemaElement key(String name, KeyType type) {
        return KeySchemaElement.builder().attributeName(name).keyType(type).build();
    }
}
