package dev.folio.eventlog;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * The event log in a DynamoDB table laid out as the design says (created by {@code
 * dev.folio.tools.EventTableCommand}, see docs/operations.md):
 *
 * <ul>
 *   <li>hash key {@code pk} = {@code documentId#<documentId>#operationId#<operationId>}, range key
 *       {@code sk} = {@code documentId#<documentId>#kafkaEventOffset#<offset>};
 *   <li>attributes {@code documentId} (S), {@code kafkaOffset} (N), {@code version} (N), {@code
 *       delta}, {@code title}, {@code author_id} (the owner), {@code metadata} (left out when null),
 *       {@code created_at}, {@code updated_at} (ISO-8601), {@code editor_id} (the user who made the
 *       edit; absent from items written before it was kept, which read with no editor);
 *   <li>global secondary index {@code byDocument} (hash {@code documentId}, range {@code
 *       kafkaOffset}, all attributes), which {@link #replay} queries: the design's hash key names one
 *       operation and cannot be queried per document;
 *   <li>deletions waiting for compaction ({@link DocumentDeletions}): {@code pk} = {@code
 *       deletedDocuments}, {@code sk} = the document id, with {@code deletionOffset} (N) and {@code
 *       deletedAt}; one hash key, so that they can be queried, and no {@code documentId}, so that
 *       the index never takes them for events.
 * </ul>
 *
 * <p>One item per record of the log and operation in it: {@code pk} and {@code sk} together name
 * an operation at an offset, so a record consumed again (the writer's at-least-once delivery) is
 * stored once, and the same operation at another offset (published twice, or an opId its client used
 * again) is stored as the log has it. The event log then holds exactly what Kafka holds, and a
 * document replayed from it applies exactly what a node reading Kafka applied: a republication is a
 * no-op on both paths.
 *
 * <p>The client is the caller's (its endpoint, region, credentials, HTTP client) and is not closed
 * here. Thread-safe, as the client is.
 */
public final class DynamoDbEventLog implements EventLog, DocumentDeletions {

    /** The table's name in the local stack and the tests. */
    public static final String DEFAULT_TABLE = "folio-events";

    public static final String BY_DOCUMENT = "byDocument";

    private static final Comparator<LoggedDelta> OFFSET_ORDER =
            Comparator.comparingLong(LoggedDelta::kafkaOffset).thenComparingLong(LoggedDelta::version);

    /** BatchWriteItem's most items a request. */
    static final int BATCH = 25;

    private static final int UNPROCESSED_TRIES = 8;

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
        try {
            dynamo.putItem(request -> request.tableName(table)
                    .item(item(pk(event.documentId(), event.operationId()), event))
                    .conditionExpression("attribute_not_exists(pk)"));
            return true;
        } catch (ConditionalCheckFailedException repeated) {
            return false;
        }
    }

    /**
     * Writes the events with {@code BatchWriteItem}, {@value #BATCH} items a request: plain puts,
     * since an event's item is the same however often it is written (its keys are its operation and
     * offset). Items DynamoDB leaves unprocessed (throttling) are sent again after a short pause.
     *
     * @throws SdkException if DynamoDB fails a request, or keeps leaving items unprocessed
     */
    @Override
    public void write(List<LoggedDelta> events) {
        Map<String, Map<String, AttributeValue>> items = new LinkedHashMap<>();
        for (LoggedDelta event : events) {
            // One request may not name an item twice; an item written twice is the same anyway.
            Map<String, AttributeValue> item = item(pk(event.documentId(), event.operationId()), event);
            items.putIfAbsent(item.get("pk").s() + "\n" + item.get("sk").s(), item);
        }
        List<WriteRequest> requests = items.values().stream()
                .map(item ->
                        WriteRequest.builder().putRequest(put -> put.item(item)).build())
                .toList();
        for (int from = 0; from < requests.size(); from += BATCH) {
            send(requests.subList(from, Math.min(requests.size(), from + BATCH)));
        }
    }

    /**
     * Deletes the events' items with {@code BatchWriteItem}, {@value #BATCH} a request, as {@link
     * #write} puts them: deleting an item that is not there is no error, so a removal cut short can
     * simply be sent again.
     *
     * @throws SdkException if DynamoDB fails a request, or keeps leaving items unprocessed
     */
    @Override
    public void delete(List<LoggedDelta> events) {
        Map<String, WriteRequest> requests = new LinkedHashMap<>();
        for (LoggedDelta event : events) {
            String pk = pk(event.documentId(), event.operationId());
            String sk = sk(event.documentId(), event.kafkaOffset());
            requests.putIfAbsent(
                    pk + "\n" + sk,
                    WriteRequest.builder()
                            .deleteRequest(delete ->
                                    delete.key(Map.of("pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromS(sk))))
                            .build());
        }
        List<WriteRequest> all = List.copyOf(requests.values());
        for (int from = 0; from < all.size(); from += BATCH) {
            send(all.subList(from, Math.min(all.size(), from + BATCH)));
        }
    }

    private void send(List<WriteRequest> requests) {
        Map<String, List<WriteRequest>> left = Map.of(table, requests);
        for (int attempt = 0; !left.isEmpty(); attempt++) {
            if (attempt == UNPROCESSED_TRIES) {
                throw SdkException.create(
                        "DynamoDB left " + left.get(table).size() + " items unprocessed " + attempt + " times", null);
            }
            if (attempt > 0) {
                pause(attempt);
            }
            Map<String, List<WriteRequest>> sending = left;
            BatchWriteItemResponse response = dynamo.batchWriteItem(request -> request.requestItems(sending));
            left = response.hasUnprocessedItems() ? response.unprocessedItems() : Map.of();
            left = left.values().stream().allMatch(List::isEmpty) ? Map.of() : left;
        }
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(Math.min(1_000, 50L << attempt));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw SdkException.create("interrupted while writing events", e);
        }
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

    /** Scans the {@code byDocument} index, which holds events only, for their documents' ids. */
    @Override
    public Set<UUID> documentIds() {
        Set<UUID> ids = new TreeSet<>();
        dynamo.scanPaginator(
                        scan -> scan.tableName(table).indexName(BY_DOCUMENT).projectionExpression("documentId"))
                .items()
                .forEach(item -> ids.add(UUID.fromString(item.get("documentId").s())));
        return ids;
    }

    private static final String DELETIONS = "deletedDocuments";

    @Override
    public void recordDeletions(List<DocumentDeletion> deletions) {
        for (DocumentDeletion deletion : deletions) {
            dynamo.putItem(put -> put.tableName(table)
                    .item(Map.of(
                            "pk", AttributeValue.fromS(DELETIONS),
                            "sk", AttributeValue.fromS(deletion.documentId().toString()),
                            "deletionOffset", AttributeValue.fromN(Long.toString(deletion.kafkaOffset())),
                            "deletedAt",
                                    AttributeValue.fromS(deletion.deletedAt().toString()))));
        }
    }

    @Override
    public List<DocumentDeletion> deletions() {
        return dynamo
                .queryPaginator(query -> query.tableName(table)
                        .keyConditionExpression("pk = :deletions")
                        .expressionAttributeValues(Map.of(":deletions", AttributeValue.fromS(DELETIONS)))
                        .consistentRead(true))
                .items()
                .stream()
                .map(DynamoDbEventLog::deletion)
                .toList();
    }

    @Override
    public Optional<DocumentDeletion> deletion(UUID documentId) {
        Map<String, AttributeValue> item = dynamo.getItem(
                        get -> get.tableName(table).key(deletionKey(documentId)).consistentRead(true))
                .item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(deletion(item));
    }

    @Override
    public void forgetDeletion(UUID documentId) {
        dynamo.deleteItem(delete -> delete.tableName(table).key(deletionKey(documentId)));
    }

    private static Map<String, AttributeValue> deletionKey(UUID documentId) {
        return Map.of("pk", AttributeValue.fromS(DELETIONS), "sk", AttributeValue.fromS(documentId.toString()));
    }

    private static DocumentDeletion deletion(Map<String, AttributeValue> item) {
        return new DocumentDeletion(
                UUID.fromString(item.get("sk").s()),
                Long.parseLong(item.get("deletionOffset").n()),
                Instant.parse(item.get("deletedAt").s()));
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
        if (event.editorId() != null) {
            item.put("editor_id", AttributeValue.fromS(event.editorId()));
        }
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
                Instant.parse(item.get("updated_at").s()),
                item.containsKey("editor_id") ? item.get("editor_id").s() : null);
    }
}
