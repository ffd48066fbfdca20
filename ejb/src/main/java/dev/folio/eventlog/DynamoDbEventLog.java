package dev.folio.eventlog;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * The event log in a DynamoDB table laid out as the design says (created by {@code
 * dev.folio.tools.EventTableCommand}, see docs/operations.md):
 *
 * <ul>
 *   <li>hash key {@code pk} = {@code documentId#<documentId>#operationId#<operationId>}, range key
 *       {@code sk} = {@code documentId#<documentId>#kafkaEventOffset#<offset>};
 *   <li>attributes {@code documentId} (S), {@code kafkaOffset} (N), {@code version} (N), {@code
 *       delta}, {@code title}, {@code author_id}, {@code metadata} (left out when null), {@code
 *       created_at}, {@code updated_at} (ISO-8601);
 *   <li>global secondary index {@code byDocument} (hash {@code documentId}, range {@code
 *       kafkaOffset}, all attributes), which {@link #replay} queries: the design's hash key names one
 *       operation and cannot be queried per document.
 * </ul>
 *
 * <p>One item per operation: {@code attribute_not_exists(pk)} on the event alone only sees an item
 * with the same {@code pk} and {@code sk}, so the same operation under a new offset would be stored
 * again. Each append therefore writes, in one transaction, a marker item ({@code pk} of the
 * operation, {@code sk = "operation"}) on condition that it does not exist yet, and the event item.
 *
 * <p>The client is the caller's (its endpoint, region, credentials, HTTP client) and is not closed
 * here. Thread-safe, as the client is.
 */
public final class DynamoDbEventLog implements EventLog {

    /** The table's name in the local stack and the tests. */
    public static final String DEFAULT_TABLE = "folio-events";

    public static final String BY_DOCUMENT = "byDocument";

    static final String MARKER_SK = "operation";

    private static final String CONDITIONAL_CHECK_FAILED = "ConditionalCheckFailed";
    private static final Comparator<LoggedDelta> OFFSET_ORDER =
            Comparator.comparingLong(LoggedDelta::kafkaOffset).thenComparingLong(LoggedDelta::version);

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoDbEventLog(DynamoDbClient dynamo, String table) {
        this.dynamo = Objects.requireNonNull(dynamo, "dynamo");
        this.table = Objects.requireNonNull(table, "table");
    }

    public DynamoDbEventLog(DynamoDbClient dynamo) {
        this(dynamo, DEFAULT_TABLE);
    }

    static String pk(UUID documentId, String operationId) {
        return "documentId#" + documentId + "#operationId#" + operationId;
    }

    static String sk(UUID documentId, long kafkaOffset) {
        return "documentId#" + documentId + "#kafkaEventOffset#" + kafkaOffset;
    }

    @Override
    public boolean append(LoggedDelta event) {
        Objects.requireNonNull(event, "event");
        String pk = pk(event.documentId(), event.operationId());
        // The marker has no documentId and no kafkaOffset, so the sparse index byDocument never holds
        // it: replay sees event items only.
        Put marker = Put.builder()
                .tableName(table)
                .item(Map.of("pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromS(MARKER_SK)))
                .conditionExpression("attribute_not_exists(pk)")
                .build();
        Put item = Put.builder()
                .tableName(table)
                .item(item(pk, event))
                .conditionExpression("attribute_not_exists(pk)")
                .build();
        try {
            // No clientRequestToken: within its 10 minutes DynamoDB would answer a redelivery with the
            // same token as a success without writing, and append would wrongly return true.
            dynamo.transactWriteItems(request -> request.transactItems(
                    TransactWriteItem.builder().put(marker).build(),
                    TransactWriteItem.builder().put(item).build()));
            return true;
        } catch (TransactionCanceledException cancelled) {
            if (alreadyLogged(cancelled.cancellationReasons())) {
                return false;
            }
            throw cancelled;
        }
    }

    /**
     * Whether the transaction was cancelled only because the operation is there: its marker exists
     * (normally), or an event item with the same keys does (one written without a marker).
     */
    private static boolean alreadyLogged(List<CancellationReason> reasons) {
        if (reasons.size() != 2) {
            return false;
        }
        String markerReason = reasons.get(0).code();
        String itemReason = reasons.get(1).code();
        return (CONDITIONAL_CHECK_FAILED.equals(markerReason)
                        && (isNone(itemReason) || CONDITIONAL_CHECK_FAILED.equals(itemReason)))
                || (isNone(markerReason) && CONDITIONAL_CHECK_FAILED.equals(itemReason));
    }

    private static boolean isNone(String code) {
        return code == null || code.equals("None");
    }

    /**
     * Queries {@code byDocument}, page by page, until {@code limit} events or the end. An index is
     * eventually consistent: an event appended a moment ago may not be returned yet.
     *
     * <p>Several operations can share one offset (a batch sent as one record); within a page they
     * come in version order, but a page can end inside such a group, so a caller reading on after the
     * last offset of a full page should use a limit larger than a batch.
     */
    @Override
    public List<LoggedDelta> replay(UUID documentId, long afterOffset, int limit) {
        Objects.requireNonNull(documentId, "documentId");
        if (limit <= 0) {
            throw new IllegalArgumentException("limit " + limit + " is not positive");
        }
        List<LoggedDelta> events = new ArrayList<>();
        Map<String, AttributeValue> startKey = null;
        do {
            QueryRequest.Builder query = QueryRequest.builder()
                    .tableName(table)
                    .indexName(BY_DOCUMENT)
                    .keyConditionExpression("documentId = :document AND kafkaOffset > :after")
                    .expressionAttributeValues(Map.of(
                            ":document", AttributeValue.fromS(documentId.toString()),
                            ":after", AttributeValue.fromN(Long.toString(afterOffset))))
                    .scanIndexForward(true)
                    .limit(limit - events.size());
            if (startKey != null) {
                query.exclusiveStartKey(startKey);
            }
            QueryResponse page = dynamo.query(query.build());
            for (Map<String, AttributeValue> found : page.items()) {
                events.add(event(found));
            }
            startKey =
                    page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (startKey != null && events.size() < limit);
        events.sort(OFFSET_ORDER);
        return events;
    }

    private static Map<String, AttributeValue> item(String pk, LoggedDelta event) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("pk", AttributeValue.fromS(pk));
        item.put("sk", AttributeValue.fromS(sk(event.documentId(), event.kafkaOffset())));
        item.put("documentId", AttributeValue.fromS(event.documentId().toString()));
        item.put("kafkaOffset", AttributeValue.fromN(Long.toString(event.kafkaOffset())));
        item.put("version", AttributeValue.fromN(Long.toString(event.version())));
        item.put("delta", AttributeValue.fromS(event.delta()));
        item.put("title", AttributeValue.fromS(event.title()));
        if (event.authorId() != null) {
            item.put("author_id", AttributeValue.fromS(event.authorId().toString()));
        }
        if (event.metadata() != null) {
            item.put("metadata", AttributeValue.fromS(event.metadata()));
        }
        item.put("created_at", AttributeValue.fromS(event.createdAt().toString()));
        item.put("updated_at", AttributeValue.fromS(event.updatedAt().toString()));
        return item;
    }

    private static LoggedDelta event(Map<String, AttributeValue> item) {
        UUID documentId = UUID.fromString(item.get("documentId").s());
        // The operation id is the rest of pk after its fixed prefix (it may itself contain '#').
        String prefix = pk(documentId, "");
        String pk = item.get("pk").s();
        if (!pk.startsWith(prefix)) {
            throw new IllegalStateException("event item with documentId " + documentId + " has pk " + pk);
        }
        return new LoggedDelta(
                documentId,
                pk.substring(prefix.length()),
                Long.parseLong(item.get("kafkaOffset").n()),
                Long.parseLong(item.get("version").n()),
                item.get("delta").s(),
                item.get("title").s(),
                item.containsKey("author_id")
                        ? UUID.fromString(item.get("author_id").s())
                        : null,
                item.containsKey("metadata") ? item.get("metadata").s() : null,
                Instant.parse(item.get("created_at").s()),
                Instant.parse(item.get("updated_at").s()));
    }
}
