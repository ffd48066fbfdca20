package dev.folio.document;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.folio.document.DeltaSubscriber.Closure;
import dev.folio.lseq.Replica;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Bugs a review found in LiveDocument, kept as tests of what it does now. */
class LiveDocumentRegressionTest {

    static final UUID ID = UUID.fromString("00000000-0000-0000-0000-0000000ee001");

    record Joined(long version, byte[] snapshot) {}

    record Delivered(AcceptedDelta delta) {}

    record Acked(String opId, long version) {}

    record Closed(Closure reason) {}

    static class Recorder implements DeltaSubscriber {
        final int site;
        final List<Object> events = new ArrayList<>();

        Recorder(int site) {
            this.site = site;
        }

        @Override
        public int site() {
            return site;
        }

        @Override
        public void joined(long version, byte[] snapshot) {
            events.add(new Joined(version, snapshot));
        }

        @Override
        public void deliver(AcceptedDelta delta) {
            events.add(new Delivered(delta));
        }

        @Override
        public void acknowledged(String opId, long version) {
            events.add(new Acked(opId, version));
        }

        @Override
        public void closed(Closure reason) {
            events.add(new Closed(reason));
        }
    }

    static Recorder joined(LiveDocument document, Recorder recorder) {
        document.join(recorder, document.durableVersion());
        recorder.events.clear();
        return recorder;
    }

    static void storeAll(LiveDocument document) {
        for (List<AcceptedDelta> batch = document.nextBatch(); !batch.isEmpty(); batch = document.nextBatch()) {
            document.stored(batch);
        }
    }

    /**
     * docs/protocol.md: opId is "unique per client". Deduplication keys on the opId alone, so a
     * second client that happens to use the same opId (both count "1", "2", ...) is acknowledged
     * with the first client's version and its delta is silently dropped: an acked edit that was
     * never applied nor stored.
     */
    @Test
    void twoClientsUsingTheSameOpIdAreBothApplied() {
        LiveDocument document = LiveDocument.restore(ID, null, 0, List.of(), 100);
        Recorder alice = joined(document, new Recorder(1));
        Recorder bob = joined(document, new Recorder(2));

        document.accept(alice, "1", new Replica(1).insert(0, "A"));
        storeAll(document);
        document.accept(bob, "1", new Replica(2).insert(0, "B"));
        storeAll(document);

        assertTrue(document.text().contains("B"), "bob's edit was dropped; text is " + document.text());
        assertEquals(2, document.version());
        assertNotEquals(List.of(new Acked("1", 1)), bob.events, "bob was acked with alice's version");
    }

    /** Same, while the first one is still waiting to be stored. */
    @Test
    void sameOpIdFromAnotherClientWhileWaitingIsNotMergedIntoIt() {
        LiveDocument document = LiveDocument.restore(ID, null, 0, List.of(), 100);
        Recorder alice = joined(document, new Recorder(1));
        Recorder bob = joined(document, new Recorder(2));

        document.accept(alice, "1", new Replica(1).insert(0, "A"));
        document.accept(bob, "1", new Replica(2).insert(0, "B"));
        storeAll(document);

        assertTrue(document.text().contains("B"), "bob's edit was dropped; text is " + document.text());
    }

    /**
     * ClientChannel closes a too-slow session from inside deliver(); Tyrus runs @OnClose
     * synchronously inside Session.close() (ProtocolHandler.close -> TyrusWebSocket.onClose), and
     * DocumentSocket.close calls DocumentManager.leave, which re-enters the document's (reentrant)
     * monitor already held by the store task. This subscriber does exactly that.
     */
    static final class LeavesWhenDelivered extends Recorder {
        final LiveDocument document;

        LeavesWhenDelivered(int site, LiveDocument document) {
            super(site);
            this.document = document;
        }

        @Override
        public void deliver(AcceptedDelta delta) {
            super.deliver(delta);
            document.leave(this); // what @OnClose -> DocumentManager.leave does, on this thread
        }
    }

    @Test
    void aSubscriberClosedDuringDeliveryDoesNotBreakTheStoreTask() {
        LiveDocument document = LiveDocument.restore(ID, null, 0, List.of(), 100);
        Recorder alice = joined(document, new Recorder(1));
        joined(document, new LeavesWhenDelivered(2, document)); // the slow one, not last
        Recorder carol = joined(document, new Recorder(3));

        assertTrue(document.accept(alice, "a1", new Replica(1).insert(0, "x")));
        List<AcceptedDelta> batch = document.nextBatch();
        // Had this thrown, the rest of the batch would never be acknowledged or forwarded.
        assertDoesNotThrow(() -> document.stored(batch));
        assertEquals(List.of(new Acked("a1", 1)), alice.events);
        assertEquals(1, carol.events.size());
    }
}
