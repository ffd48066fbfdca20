package dev.folio.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.folio.eventlog.DynamoDbEventLog;
import dev.folio.eventlog.EventLog;
import dev.folio.eventlog.LoggedDelta;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * {@link DynamoDbEventLog} on DynamoDB Local's {@code folio-events} table, through the HTTP client
 * the app ships (url-connection-client): one item per operation however often it arrives, and replay
 * per document in Kafka-offset order, page by page.
 */
class EventLogIT {

    private static final Duration PATIENCE = Duration.ofSeconds(20);
    private static final Instant CREATED = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    static DynamoDbClient dynamo;
    static EventLog log;

    @BeforeAll
    static void connect() throws Exception {
        dynamo = EventTableClient.open();
        log = new DynamoDbEventLog(dynamo, DynamoDbLocal.TABLE);
    }

    @AfterAll
    static void close() {
        if (dynamo != null) {
            dynamo.close();
        }
    }

    @Test
    void replayReturnsOneDocumentsEventsInOffsetOrderAndARecordConsumedTwiceIsStoredOnce() {
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        UUID author = UUID.randomUUID();
        // Out of order, and with offsets that sort differently as text (5 < 12 < 30).
        LoggedDelta third = event(a, "17:17-3", 30, 3, author, "{\"batch\":1}");
        LoggedDelta first = event(a, "17:17-1", 5, 1, null, null);
        LoggedDelta second = event(a, "18:18-1", 12, 2, author, null);
        LoggedDelta other = event(b, "17:17-1", 6, 1, null, null);
        assertTrue(log.append(third));
        assertTrue(log.append(first));
        assertTrue(log.append(second));
        assertTrue(log.append(other));

        // Every field survives the round trip.
        assertEquals(List.of(first, second, third), replayUntil(a, 3));
        assertEquals(List.of(other), replayUntil(b, 1));

        // A record consumed again (the writer's redelivery) is the same offset: stored once.
        assertFalse(log.append(first));
        assertEquals(List.of(first, second, third), log.replay(a, -1, 100));
    }

    /**
     * The event log holds what Kafka holds, so a document replayed from it equals one built from
     * Kafka (issue 14, finding 5). An operation at a new offset is the log's record there: a
     * republication (applied as a no-op by every node, so by a replay too), or a client's opId used
     * again with other operations, which every node reading Kafka applied. Before, a marker item per
     * operation dropped it, and a replica rebuilt from DynamoDB lacked what every node had.
     */
    @Test
    void anOperationAtANewOffsetIsKeptAsTheLogHasIt() {
        UUID document = UUID.randomUUID();
        LoggedDelta first = event(document, "17:17-1", 5, 1, null, null);
        LoggedDelta again = new LoggedDelta(
                document, "17:17-1", 40, 1, "{\"other\":\"operations\"}", "Notes", null, null, CREATED, CREATED);
        assertTrue(log.append(first));
        assertTrue(log.append(again), "the operation at offset 40 is another record of the log");
        assertFalse(log.append(again), "and stored once");
        assertEquals(List.of(first, again), replayUntil(document, 2));

        // The operation's items: one per offset it is at in the log, and nothing else.
        List<String> sortKeys = dynamo
                .query(request -> request.tableName(DynamoDbLocal.TABLE)
                        .keyConditionExpression("pk = :pk")
                        .expressionAttributeValues(
                                Map.of(":pk", AttributeValue.fromS("documentId#" + document + "#operationId#17:17-1"))))
                .items()
                .stream()
                .map(item -> item.get("sk").s())
                .sorted()
                .toList();
        assertEquals(
                List.of(
                        "documentId#" + document + "#kafkaEventOffset#40",
                        "documentId#" + document + "#kafkaEventOffset#5"),
                sortKeys);
    }

    /** The writer's path: many events in requests of 25, a repeat among them, and again later. */
    @Test
    void writeStoresManyEventsInBatchesAndARepeatChangesNothing() {
        UUID document = UUID.randomUUID();
        List<LoggedDelta> events = new java.util.ArrayList<>();
        for (int i = 0; i < 60; i++) {
            events.add(event(document, "4:4-" + i, 100 + i / 3, 1 + i % 3, null, null));
        }
        List<LoggedDelta> withARepeat = new java.util.ArrayList<>(events);
        withARepeat.add(events.get(7));
        log.write(withARepeat);
        assertEquals(events, replayUntil(document, 60));
        log.write(events.subList(10, 40)); // a poll written again after a failed commit
        assertEquals(events, log.replay(document, -1, 1_000));
    }

    @Test
    void afterOffsetAndLimitPageThroughTheEvents() {
        UUID document = UUID.randomUUID();
        for (long offset : new long[] {100, 7, 55, 9, 1000}) {
            assertTrue(log.append(event(document, "3:3-" + offset, offset, offset, null, null)));
        }
        replayUntil(document, 5);

        List<LoggedDelta> page1 = log.replay(document, -1, 2);
        assertEquals(List.of(7L, 9L), offsets(page1));
        List<LoggedDelta> page2 = log.replay(document, page1.get(1).kafkaOffset(), 2);
        assertEquals(List.of(55L, 100L), offsets(page2));
        List<LoggedDelta> page3 = log.replay(document, page2.get(1).kafkaOffset(), 2);
        assertEquals(List.of(1000L), offsets(page3));
        assertEquals(List.of(), log.replay(document, 1000, 2));
        assertEquals(List.of(9L, 55L, 100L), offsets(log.replay(document, 7, 3)));
        assertEquals(List.of(), log.replay(UUID.randomUUID(), -1, 10));
    }

    private static LoggedDelta event(
            UUID document, String operationId, long offset, long version, UUID author, String metadata) {
        return new LoggedDelta(
                document,
                operationId,
                offset,
                version,
                "{\"op\":\"" + operationId + "\",\"offset\":" + offset + "}",
                "Notes",
                author,
                metadata,
                CREATED,
                CREATED.plusSeconds(version));
    }

    /** The index is eventually consistent (DynamoDB Local's is not, but real DynamoDB's is): wait. */
    private static List<LoggedDelta> replayUntil(UUID document, int count) {
        Instant deadline = Instant.now().plus(PATIENCE);
        List<LoggedDelta> events = log.replay(document, -1, 100);
        while (events.size() < count && Instant.now().isBefore(deadline)) {
            events = log.replay(document, -1, 100);
        }
        return events;
    }

    private static List<Long> offsets(List<LoggedDelta> events) {
        return events.stream().map(LoggedDelta::kafkaOffset).toList();
    }
}
