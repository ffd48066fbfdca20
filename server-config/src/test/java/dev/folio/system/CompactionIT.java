package dev.folio.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.folio.archive.ArchivedRange;
import dev.folio.archive.CompactionLease;
import dev.folio.archive.DynamoDbCompactionLease;
import dev.folio.archive.EventArchive;
import dev.folio.archive.S3EventArchive;
import dev.folio.document.RebuiltDocument;
import dev.folio.eventlog.BatchEvents;
import dev.folio.eventlog.DynamoDbEventLog;
import dev.folio.eventlog.LoggedDelta;
import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Compaction on the real stack (issue 15): the suite's node keeps everything older than a
 * document's snapshot (retention 0) and compacts only when asked, here through the admin API. Each
 * test types into a document of its own, lets the node write the snapshot (the document unloads
 * when its last client leaves), then compacts it and looks into DynamoDB Local and S3Proxy itself.
 */
class CompactionIT extends SystemTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    static DynamoDbClient dynamo;
    static S3Client s3;
    static DynamoDbEventLog eventLog;
    static EventArchive archive;
    static Api admin;
    static CompactionRuns compaction;

    @BeforeAll
    static void connect() throws Exception {
        dynamo = EventTableClient.open();
        s3 = ArchiveClient.open();
        eventLog = new DynamoDbEventLog(dynamo, DynamoDbLocal.TABLE);
        archive = new S3EventArchive(s3, S3Proxy.BUCKET);
        admin = api.asUser("admin");
        compaction = new CompactionRuns(stack, api);
    }

    @AfterAll
    static void close() {
        if (dynamo != null) {
            dynamo.close();
        }
        if (s3 != null) {
            s3.close();
        }
        if (compaction != null) {
            compaction.close();
        }
    }

    @Test
    void aRunLeavesDynamoDbOnlyTheEventsAfterTheCutAndS3TheRestWhichRebuildWhatTheClientSaw() throws Exception {
        UUID document = api.createDocument("compacted twice");
        String first = type(document, 120, 1);
        long firstCut = compaction.awaitSnapshot(document);

        JsonObject run = compactArchiving(document);

        assertEquals(0, run.getInt("failures"));
        assertOnlyAfter(document, firstCut);
        List<String> keys = archive.keys(document);
        assertEquals(1, keys.size());
        ArchivedRange range = archive.read(document, keys.get(0));
        assertEquals(firstCut, range.toOffset());
        assertEquals(first, textOf(document, range.end()));
        assertEquals(first, rebuild(document, range.events()));

        String second = type(document, 80, 2);
        long secondCut = compaction.awaitSnapshot(document);
        compactArchiving(document);

        assertOnlyAfter(document, secondCut);
        keys = archive.keys(document);
        assertEquals(2, keys.size());
        ArchivedRange later = archive.read(document, keys.get(1));
        assertEquals(firstCut + 1, later.fromOffset());
        assertEquals(second, textOf(document, later.end()));
        List<LoggedDelta> archived = new ArrayList<>(range.events());
        archived.addAll(later.events());
        assertEquals(second, rebuild(document, archived), "the whole chain of archives rebuilds the text");
        assertEquals(second, api.document(document).getString("text"), "the document opens as it was");
    }

    @Test
    void aRunCutShortBetweenTheArchiveAndTheRemovalIsFinishedByTheNextNothingLostNothingDoubled() throws Exception {
        UUID document = api.createDocument("compaction interrupted");
        String seen = type(document, 100, 3);
        long cut = compaction.awaitSnapshot(document);
        List<Map<String, AttributeValue>> items = items(document);

        compactArchiving(document);
        String key = archive.keys(document).get(0);
        List<LoggedDelta> archived = archive.read(document, key).events();
        // What a node killed after the archive was verified and before (or while) the events were
        // removed leaves behind: the archive, and the events still in DynamoDB, all or some.
        for (List<Map<String, AttributeValue>> leftBehind : List.of(items, items.subList(0, items.size() / 2))) {
            leftBehind.forEach(item ->
                    dynamo.putItem(put -> put.tableName(DynamoDbLocal.TABLE).item(item)));

            JsonObject rerun = compact(document);

            assertEquals(0, rerun.getInt("failures"));
            assertEquals(0, rerun.getInt("archives"), "no second archive of the same events");
            assertEquals(leftBehind.size(), rerun.getInt("archivedEvents"), "the leftovers are removed");
            assertOnlyAfter(document, cut);
            assertEquals(List.of(key), archive.keys(document));
            List<LoggedDelta> now = archive.read(document, key).events();
            assertEquals(archived, now, "nothing lost");
            assertEquals(now.size(), identities(now).size(), "nothing doubled");
            assertEquals(seen, rebuild(document, now));
        }
    }

    @Test
    void s3AwayFailsTheRunWhichIsCountedAndTheLiveDocumentGoesOn() throws Exception {
        UUID document = api.createDocument("compaction without S3");
        type(document, 40, 4);
        compaction.awaitSnapshot(document);
        List<LoggedDelta> before = eventLog.replay(document, -1, 10_000);
        double failuresBefore = api.metric("folio_compaction_failures_total");

        stack.s3.stop();
        JsonObject run;
        String typedMeanwhile;
        try {
            run = compact(document);
            typedMeanwhile = type(document, 10, 5);
        } finally {
            stack.s3.start();
        }

        assertEquals(1, run.getInt("failures"));
        assertEquals(failuresBefore + 1, api.metric("folio_compaction_failures_total"));
        assertTrue(eventLog.replay(document, -1, 10_000).containsAll(before), "nothing removed");
        compaction.awaitSnapshot(document);
        compactArchiving(document);
        assertEquals(typedMeanwhile, api.document(document).getString("text"));
    }

    @Test
    void aDamagedArchiveIsReportedAndNeverUsedNothingIsRemoved() throws Exception {
        UUID document = api.createDocument("compaction onto a damaged archive");
        type(document, 40, 6);
        compaction.awaitSnapshot(document);
        compactArchiving(document);
        String key = archive.keys(document).get(0);
        var object = s3.getObjectAsBytes(get -> get.bucket(S3Proxy.BUCKET).key(key));
        byte[] damaged = object.asByteArray().clone();
        damaged[damaged.length / 2] ^= 0x10;
        s3.putObject(
                put -> put.bucket(S3Proxy.BUCKET)
                        .key(key)
                        .metadata(object.response().metadata()),
                RequestBody.fromBytes(damaged));
        type(document, 20, 7);
        compaction.awaitSnapshot(document);
        List<LoggedDelta> before = eventLog.replay(document, -1, 10_000);

        JsonObject run = compact(document);

        assertEquals(1, run.getInt("failures"));
        assertEquals(0, run.getInt("archives"));
        assertEquals(before, eventLog.replay(document, -1, 10_000));
        assertEquals(List.of(key), archive.keys(document));
    }

    @Test
    void aDeletedDocumentsEventsAllGoToTheArchiveWhichKeepsItsLastText() throws Exception {
        UUID document = api.createDocument("compacted, then deleted");
        type(document, 60, 9);
        compaction.awaitSnapshot(document);
        compactArchiving(document);
        String last = type(document, 40, 10);
        assertEquals(
                204, api.send(api.request("documents/" + document).DELETE()).statusCode());
        awaitDeletionRecorded(document);

        JsonObject run = compact(document);

        assertEquals(0, run.getInt("failures"));
        assertEquals(1, run.getInt("archives"));
        assertEquals(List.of(), eventLog.replay(document, -1, 10_000), "no event left in DynamoDB");
        assertTrue(eventLog.deletion(document).isEmpty(), "the deletion is forgotten");
        List<LoggedDelta> archived = new ArrayList<>();
        for (String key : archive.keys(document)) {
            archived.addAll(archive.read(document, key).events());
        }
        assertEquals(archived.size(), identities(archived).size());
        assertEquals(last, rebuild(document, archived), "the archives keep the text the client last saw");
        assertEquals(0, compact(document).getInt("documents"), "nothing left to do");
    }

    private static void awaitDeletionRecorded(UUID document) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (eventLog.deletion(document).isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the deletion of " + document + " was not recorded within " + PATIENCE);
            }
            Thread.sleep(200);
        }
    }

    @Test
    void twoNodesCompactingOneDocumentAtOnceWriteOneArchive() throws Exception {
        Api adminOnSecond = new Api(stack.secondNode().http()).asUser("admin");
        UUID document = api.createDocument("compacted by two nodes at once");
        String seen = type(document, 100, 8);
        long cut = compaction.awaitSnapshot(document);
        int events = eventLog.replay(document, -1, 10_000).size();

        CompletableFuture<JsonObject> onFirst = InBackground.start(() -> compact(admin, document));
        CompletableFuture<JsonObject> onSecond = InBackground.start(() -> compact(adminOnSecond, document));
        JsonObject first = InBackground.await(onFirst);
        JsonObject second = InBackground.await(onSecond);

        assertEquals(0, first.getInt("failures") + second.getInt("failures"));
        assertEquals(1, first.getInt("archives") + second.getInt("archives"));
        assertEquals(events, first.getInt("archivedEvents") + second.getInt("archivedEvents"));
        assertOnlyAfter(document, cut);
        List<String> keys = archive.keys(document);
        assertEquals(1, keys.size());
        assertEquals(seen, rebuild(document, archive.read(document, keys.get(0)).events()));
    }

    @Test
    void aLeaseIsOneNodesUntilReleasedOrEnded() {
        UUID document = UUID.randomUUID();
        CompactionLease a = lease("node-a", Clock.systemUTC());
        CompactionLease b = lease("node-b", Clock.systemUTC());
        // A node whose clock is an hour ahead sees every lease of the others as ended.
        CompactionLease later = lease("node-c", Clock.offset(Clock.systemUTC(), Duration.ofHours(1)));

        assertTrue(a.hold(document));
        assertFalse(b.hold(document), "held by a");
        assertTrue(a.hold(document), "a renews its own");
        b.release(document); // not b's: changes nothing
        assertFalse(b.hold(document), "still a's");
        a.release(document);
        assertTrue(b.hold(document), "free once a released it");
        assertFalse(a.hold(document));
        assertTrue(later.hold(document), "b's lease has ended by then");
        later.release(document);
    }

    private static CompactionLease lease(String holder, Clock clock) {
        return new DynamoDbCompactionLease(dynamo, DynamoDbLocal.TABLE, holder, Duration.ofMinutes(10), clock);
    }

    @Test
    void onlyAdminsRunCompaction() throws Exception {
        HttpResponse<String> refused = api.post("admin/compaction", "");
        assertEquals(403, refused.statusCode());
        assertEquals(400, admin.post("admin/compaction?document=nonsense", "").statusCode());
    }

    /** Types {@code edits} random edits as one client, which then leaves; returns the text it saw. */
    private static String type(UUID document, int edits, long seed) throws Exception {
        try (EditorClient typist = EditorClient.join(stack.ws(), document, "typist")) {
            editConcurrently(List.of(typist), edits, seed);
            return typist.text();
        }
    }

    private static JsonObject compact(UUID document) throws Exception {
        return compact(admin, document);
    }

    private static JsonObject compact(Api asAdmin, UUID document) throws Exception {
        HttpResponse<String> response = asAdmin.post("admin/compaction?document=" + document, "");
        assertEquals(200, response.statusCode(), response::body);
        return Api.json(response.body());
    }

    /** Compacts, expecting one new archive. */
    private static JsonObject compactArchiving(UUID document) throws Exception {
        JsonObject run = compact(document);
        assertEquals(1, run.getInt("archives"), run::toString);
        return run;
    }

    /** Every event of the document left in DynamoDB lies after {@code cut}, and there is one at least. */
    private static void assertOnlyAfter(UUID document, long cut) {
        List<LoggedDelta> left = eventLog.replay(document, -1, 10_000);
        assertTrue(
                left.stream().allMatch(event -> event.kafkaOffset() > cut),
                () -> "events at or before " + cut + " left: " + left);
    }

    /** The document's event items as DynamoDB holds them, for putting back. */
    private static List<Map<String, AttributeValue>> items(UUID document) {
        return dynamo.query(query -> query.tableName(DynamoDbLocal.TABLE)
                        .indexName(DynamoDbLocal.BY_DOCUMENT)
                        .keyConditionExpression("documentId = :document")
                        .expressionAttributeValues(Map.of(":document", AttributeValue.fromS(document.toString()))))
                .items();
    }

    private static String rebuild(UUID document, List<LoggedDelta> events) {
        return RebuiltDocument.of(document, RebuiltDocument.EMPTY, BatchEvents.records(document, events))
                .text();
    }

    private static String textOf(UUID document, dev.folio.document.StoredState state) {
        return RebuiltDocument.of(document, state, List.of()).text();
    }

    private static Set<String> identities(List<LoggedDelta> events) {
        Set<String> identities = new HashSet<>();
        events.forEach(event -> identities.add(event.kafkaOffset() + "/" + event.operationId()));
        return identities;
    }
}
