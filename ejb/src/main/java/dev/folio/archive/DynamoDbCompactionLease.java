package dev.folio.archive;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Leases as items of the event table, next to the events they guard: {@code pk} = {@code
 * compactionLease#<documentId>}, {@code sk} = {@code lease}, with the holder and when the lease ends
 * (epoch milliseconds). A conditional put takes the lease when there is none, this holder has it, or
 * it has ended: DynamoDB decides, so two nodes never both succeed. The items have no {@code
 * documentId}, so the {@code byDocument} index (the events) never sees them. A node that dies holding
 * a lease blocks its document until the lease ends; the nodes' clocks must agree to well within the
 * lease's length.
 */
public final class DynamoDbCompactionLease implements CompactionLease {

    private final DynamoDbClient dynamo;
    private final String table;
    private final String holder;
    private final Duration length;
    private final Clock clock;

    public DynamoDbCompactionLease(DynamoDbClient dynamo, String table, String holder, Duration length, Clock clock) {
        this.dynamo = Objects.requireNonNull(dynamo, "dynamo");
        this.table = Objects.requireNonNull(table, "table");
        this.holder = Objects.requireNonNull(holder, "holder");
        this.length = Objects.requireNonNull(length, "length");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public boolean hold(UUID documentId) {
        long now = clock.millis();
        try {
            dynamo.putItem(put -> put.tableName(table)
                    .item(Map.of(
                            "pk", pk(documentId),
                            "sk", AttributeValue.fromS("lease"),
                            "holder", AttributeValue.fromS(holder),
                            "endsAt", AttributeValue.fromN(Long.toString(now + length.toMillis()))))
                    .conditionExpression("attribute_not_exists(pk) OR holder = :me OR endsAt < :now")
                    .expressionAttributeValues(Map.of(
                            ":me", AttributeValue.fromS(holder), ":now", AttributeValue.fromN(Long.toString(now)))));
            return true;
        } catch (ConditionalCheckFailedException heldElsewhere) {
            return false;
        }
    }

    @Override
    public void release(UUID documentId) {
        try {
            dynamo.deleteItem(delete -> delete.tableName(table)
                    .key(Map.of("pk", pk(documentId), "sk", AttributeValue.fromS("lease")))
                    .conditionExpression("holder = :me")
                    .expressionAttributeValues(Map.of(":me", AttributeValue.fromS(holder))));
        } catch (ConditionalCheckFailedException notOurs) {
            // It ended and another node took it: that node's now.
        }
    }

    private static AttributeValue pk(UUID documentId) {
        return AttributeValue.fromS("compactionLease#" + documentId);
    }
}
