package dev.folio.document;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.folio.document.DeltaSubscriber.Closure;
import dev.folio.document.LiveDocument.Snapshot;
import dev.folio.lseq.Delta;
import dev.folio.lseq.Identifier;
import dev.folio.lseq.LseqParameters;
import dev.folio.lseq.Operation;
import dev.folio.lseq.Operation.Delete;
import dev.folio.lseq.Operation.Insert;
import dev.folio.lseq.Replica;
import dev.folio.lseq.SnapshotCodec;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The server side of one open document on one node, with the log as the sequencer: a client's
 * delta is checked and queued when accepted, and only once its record comes back from the log does
 * it change the text, get a version, reach the other subscribers and get its ack. Nodes that read
 * the same records agree on text, versions and deliveries, whatever duplicates and replays the log
 * holds; resends are recognised; inserts must be the sender's own; joining clients catch up; a
 * restored document carries on where it was; and clients that apply what they are sent end with
 * the server's text.
 */
class LiveDocumentTest {

    static final UUID ID = UUID.fromString("00000000-0000-0000-0000-00000000f011");

    /** A document nobody edited yet: no snapshot, covering nothing of the log. */
    static final StoredState NEW = new StoredState(null, 0, -1);

    /** A site no client has: for subscribers that only watch. */
    static final int WATCHER_SITE = 1_000_000;

    /** The log the documents of a test read. */
    final Log log = new Log(null);

    LiveDocument cut = LiveDocument.restore(ID, NEW, List.of(), 100);

    /** What the document told one subscriber, in order. */
    record Joined(long version, byte[] snapshot) {}

    record Delivered(AcceptedDelta delta) {}

    record Acked(String opId, long version) {}

    record Closed(Closure reason) {}

    record Refused(String opId, String code) {}

    /** The subscriber the document talks to: records every call, in order. */
    static class Recorder implements DeltaSubscriber {
        final int site;
        final String userId;
        final List<Object> events = new ArrayList<>();

        Recorder(int site) {
            this(site, null);
        }

        Recorder(int site, String userId) {
            this.site = site;
            this.userId = userId;
        }

        @Override
        public int site() {
            return site;
        }

        @Override
        public String userId() {
            return userId;
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
        public void refused(String opId, String code, String message) {
            events.add(new Refused(opId, code));
        }

        @Override
        public void closed(Closure reason) {
            events.add(new Closed(reason));
            closing = true;
        }

        boolean closing;

        @Override
        public boolean isClosing() {
            return closing;
        }

        Joined onlyJoined() {
            assertEquals(1, events.size(), events::toString);
            return (Joined) events.get(0);
        }

        List<Object> drain() {
            List<Object> drained = List.copyOf(events);
            events.clear();
            return drained;
        }

        List<AcceptedDelta> deliveries() {
            return events.stream()
                    .filter(Delivered.class::isInstance)
                    .map(event -> ((Delivered) event).delta())
                    .toList();
        }

        /** Applies the deliveries to {@code replica}, then forgets every event. */
        void applyDeliveries(Replica replica) {
            for (Object event : drain()) {
                if (event instanceof Delivered delivered) {
                    replica.apply(delivered.delta().delta());
                }
            }
        }
    }

    /**
     * The log as every node reads it: one document's records, at growing offsets. Offsets have
     * gaps when {@code gaps} is given, as in a partition other documents share.
     */
    static final class Log {
        final List<LoggedBatch> records = new ArrayList<>();
        private final Random gaps;
        private long nextOffset;

        Log(Random gaps) {
            this.gaps = gaps;
        }

        LoggedBatch append(List<SubmittedDelta> deltas) {
            return add(LoggedBatch.of(ID, nextOffset(), deltas));
        }

        LoggedBatch appendDeleted() {
            return add(new LoggedBatch(ID, nextOffset(), List.of(), true));
        }

        /** Other documents' records take the offsets before {@code offset}. */
        void skipTo(long offset) {
            nextOffset = Math.max(nextOffset, offset);
        }

        List<LoggedBatch> after(long offset) {
            return records.stream().filter(r -> r.offset() > offset).toList();
        }

        LoggedBatch last() {
            return records.get(records.size() - 1);
        }

        private LoggedBatch add(LoggedBatch record) {
            records.add(record);
            return record;
        }

        private long nextOffset() {
            long offset = nextOffset;
            nextOffset += 1 + (gaps == null ? 0 : gaps.nextInt(3));
            return offset;
        }
    }

    /** A subscriber that joined {@code document} at its version and has been told so. */
    static Recorder joined(LiveDocument document, int site) {
        Recorder recorder = new Recorder(site);
        document.join(recorder, document.version(), 0);
        recorder.drain();
        return recorder;
    }

    Recorder joinedAt(int site) {
        return joined(cut, site);
    }

    /**
     * Publishes what {@code document} accepted, as the group commit does: one record per batch; a
     * round waits for the one before to come back from the log, and here the log is slow (each
     * round is overdue at once), so all is published before any record is read.
     */
    List<LoggedBatch> publishAll(LiveDocument document) {
        List<LoggedBatch> records = new ArrayList<>();
        while (true) {
            List<SubmittedDelta> batch = document.nextBatch();
            if (batch.isEmpty()) {
                long later = System.nanoTime() + LiveDocument.ROUND_PATIENCE_NANOS;
                if (!document.stopWaitingForOverdueRound(later)) {
                    return records;
                }
                continue;
            }
            document.published(batch);
            records.add(log.append(batch));
        }
    }

    /** Feeds {@code document} the records of the log it has not read; returns what it delivered. */
    List<AcceptedDelta> readLog(LiveDocument document) {
        Recorder watcher = new Recorder(WATCHER_SITE);
        document.join(watcher, document.version(), 0);
        log.after(document.logOffset()).forEach(document::logged);
        document.leave(watcher);
        return watcher.deliveries();
    }

    /** The round trip to the log of what the document under test accepted. */
    List<AcceptedDelta> commit() {
        publishAll(cut);
        return readLog(cut);
    }

    static List<Long> versions(List<AcceptedDelta> deltas) {
        return deltas.stream().map(AcceptedDelta::version).toList();
    }

    /**
     * What a client does after a snapshot join (document-session.js): its edits not acknowledged
     * yet go on top again, but for its inserts the log already had. Absent from the snapshot, they
     * were deleted since, and the server no longer remembers their deletes (docs/lseq.md,
     * "Forgetting deletes").
     */
    static void reapplyOnSnapshot(Replica fromSnapshot, Collection<Delta> pending) {
        int logged = fromSnapshot.highestCounter(fromSnapshot.site());
        pending.forEach(delta -> fromSnapshot.reapplyOwn(delta, logged));
    }

    /** The same position with another last digit: same (site, counter), another identifier. */
    static Identifier sameCounterElsewhere(Identifier id) {
        int[] triples = id.toArray();
        int last = triples.length - 3;
        int base = LseqParameters.DEFAULT.base(id.depth() - 1);
        triples[last] = triples[last] + 1 < base ? triples[last] + 1 : triples[last] - 1;
        Identifier forged = Identifier.of(triples);
        assertNotEquals(id, forged);
        return forged;
    }

    @Nested
    class ThroughTheLog {

        /** The audit trail starts here: the log record names who made each delta. */
        @Test
        void aDeltaGoesToTheLogWithTheUserWhoSentIt() {
            Recorder alice = new Recorder(1, "alice");
            cut.join(alice, cut.version(), 0);
            Recorder bob = new Recorder(2, "bob");
            cut.join(bob, cut.version(), 0);
            Delta hi = new Replica(1).insert(0, "hi");
            Delta yo = new Replica(2).insert(0, "yo");

            cut.accept(alice, "a1", hi);
            cut.accept(bob, "b1", yo);

            assertEquals(
                    List.of(new SubmittedDelta("a1", 1, hi, "alice"), new SubmittedDelta("b1", 2, yo, "bob")),
                    cut.nextBatch());
        }

        @Test
        void aDeltaChangesNothingUntilItsRecordComesBackThenItsOriginIsAckedAndTheOthersGetIt() {
            Recorder alice = joinedAt(1);
            Recorder bob = joinedAt(2);
            Replica a = new Replica(1);
            Replica b = new Replica(2);
            Delta hi = a.insert(0, "hi");
            Delta bang = a.insert(2, "!");

            assertTrue(cut.accept(alice, "a1", hi), "the first delta starts the publishing");
            assertFalse(cut.accept(alice, "a2", bang), "publishing is already under way");
            List<SubmittedDelta> batch = cut.nextBatch();
            assertEquals(List.of(new SubmittedDelta("a1", 1, hi), new SubmittedDelta("a2", 1, bang)), batch);
            Delta question = a.insert(3, "?");
            assertFalse(cut.accept(alice, "a3", question), "still publishing: joins the next batch");
            cut.published(batch);
            LoggedBatch first = log.append(batch);
            assertEquals(List.of(), cut.nextBatch(), "the next round waits for this one to come back");

            assertEquals("", cut.text(), "published is not logged: nothing shows yet");
            assertEquals(0, cut.version());
            assertEquals(-1, cut.logOffset());
            assertEquals(List.of(), alice.events, "nothing acknowledged before it is logged");
            assertEquals(List.of(), bob.events, "nothing delivered before it is logged");

            assertTrue(cut.logged(first), "back from the log: the next round starts");
            List<SubmittedDelta> next = cut.nextBatch();
            assertEquals(List.of(new SubmittedDelta("a3", 1, question)), next, "only what was not published");
            cut.published(next);
            LoggedBatch second = log.append(next);
            assertEquals("hi!", cut.text());
            assertEquals(2, cut.version());
            assertEquals(first.offset(), cut.logOffset());
            AcceptedDelta v1 = new AcceptedDelta(1, "a1", 1, hi, first.offset());
            AcceptedDelta v2 = new AcceptedDelta(2, "a2", 1, bang, first.offset());
            assertEquals(List.of(new Acked("a1", 1), new Acked("a2", 2)), alice.drain(), "acks, not her own deltas");
            assertEquals(List.of(new Delivered(v1), new Delivered(v2)), bob.events);

            assertFalse(cut.logged(second), "nothing waits: the publishing ends");
            assertEquals(List.of(), cut.nextBatch());
            AcceptedDelta v3 = new AcceptedDelta(3, "a3", 1, question, second.offset());
            assertEquals(List.of(new Acked("a3", 3)), alice.drain());
            assertEquals(List.of(new Delivered(v1), new Delivered(v2), new Delivered(v3)), bob.events);
            bob.applyDeliveries(b);
            assertEquals("hi!?", b.text());

            assertTrue(cut.accept(bob, "b1", b.insert(0, ">")), "a new delta starts the publishing again");
            List<AcceptedDelta> last = commit();
            assertEquals(List.of(4L), versions(last));
            assertEquals(List.of(new Acked("b1", 4)), bob.drain(), "bob's own delta is not sent back to him");
            assertEquals(List.of(new Delivered(last.get(0))), alice.drain());
            assertEquals(">hi!?", cut.text());
            assertEquals(cut.text(), b.text());
        }

        @Test
        void aRecordFromAnotherNodeIsDeliveredToEveryoneAndAcksNobody() {
            Recorder alice = joinedAt(1);
            Recorder bob = joinedAt(2);
            Delta typed = new Replica(5).insert(0, "elsewhere");
            LoggedBatch record = log.append(List.of(new SubmittedDelta("e1", 5, typed)));

            cut.logged(record);
            AcceptedDelta expected = new AcceptedDelta(1, "e1", 5, typed, record.offset());
            assertEquals(List.of(new Delivered(expected)), alice.events);
            assertEquals(List.of(new Delivered(expected)), bob.events);
            assertEquals("elsewhere", cut.text());
        }

        @Test
        void versionsCountOnlyTheDeltasThatChangeSomething() {
            Recorder bob = joinedAt(2);
            Replica a = new Replica(1);
            Delta ab = a.insert(0, "ab");
            Delta c = a.insert(2, "c");
            List<Operation> abc = new ArrayList<>(ab.operations());
            abc.addAll(c.operations());
            LoggedBatch record = log.append(List.of(
                    new SubmittedDelta("a1", 1, ab),
                    new SubmittedDelta("a1-again", 1, ab),
                    new SubmittedDelta("a2", 1, new Delta(abc)),
                    new SubmittedDelta("nothing", 1, new Delta(List.of()))));

            cut.logged(record);
            assertEquals(2, cut.version());
            assertEquals("abc", cut.text());
            assertEquals(
                    List.of(
                            new Delivered(new AcceptedDelta(1, "a1", 1, ab, record.offset())),
                            new Delivered(new AcceptedDelta(2, "a2", 1, c, record.offset()))),
                    bob.events,
                    "only the operations that changed something");
        }

        @Test
        void aBatchHoldsAtMostMaxBatchDeltasInTheOrderAccepted() {
            Recorder alice = joinedAt(1);
            Replica a = new Replica(1);
            int count = LiveDocument.MAX_BATCH + 44;
            for (int i = 0; i < count; i++) {
                assertEquals(i == 0, cut.accept(alice, "a" + i, a.insert(i, "x")));
            }
            List<SubmittedDelta> first = cut.nextBatch();
            assertEquals(LiveDocument.MAX_BATCH, first.size());
            cut.published(first);
            log.append(first);
            readLog(cut);
            List<SubmittedDelta> second = cut.nextBatch();
            assertEquals(44, second.size());
            cut.published(second);
            log.append(second);
            readLog(cut);
            assertEquals(List.of(), cut.nextBatch());
            List<String> opIds = new ArrayList<>();
            first.forEach(d -> opIds.add(d.opId()));
            second.forEach(d -> opIds.add(d.opId()));
            assertEquals(IntStream.range(0, count).mapToObj(i -> "a" + i).toList(), opIds);
            assertEquals(count, cut.version());
            assertEquals("x".repeat(count), cut.text());
        }

        @Test
        void aSubscriberThatLeftIsNoLongerSentDeltas() {
            Recorder alice = joinedAt(1);
            Recorder bob = joinedAt(2);
            cut.leave(bob);
            assertEquals(1, cut.subscriberCount());
            cut.accept(alice, "a1", new Replica(1).insert(0, "x"));
            commit();
            assertEquals(List.of(), bob.events);
            assertEquals(List.of(new Acked("a1", 1)), alice.events);
        }

        @Test
        void publishFailedClosesEverySubscriberAsUnavailable() {
            Recorder alice = joinedAt(1);
            Recorder bob = joinedAt(2);
            cut.accept(alice, "a1", new Replica(1).insert(0, "x"));
            cut.nextBatch();
            cut.publishFailed();
            assertEquals(List.of(new Closed(Closure.UNAVAILABLE)), alice.events, "never acknowledged");
            assertEquals(List.of(new Closed(Closure.UNAVAILABLE)), bob.events, "never delivered");
            assertEquals(0, cut.subscriberCount());
            assertEquals(0, cut.version());
            assertEquals("", cut.text());
        }

        /**
         * Issue 18: a delta that waited for the document's lock while the publish of the delta
         * before it failed and closed the session must not enter the reloaded document ahead of
         * it. Accepted, it made the client's resend of the earlier delta look like a forgery
         * ("reuses counter") and that edit was lost.
         */
        @Test
        void aDeltaOnASessionClosedWithTheOldDocumentNeverEntersTheReloadedOne() {
            Recorder alice = joinedAt(1);
            Replica a = new Replica(1);
            Delta first = a.insert(0, "x");
            Delta second = a.insert(1, "y");
            cut.accept(alice, "a1", first);
            cut.nextBatch();
            cut.publishFailed();
            assertTrue(alice.isClosing());

            LiveDocument reloaded = LiveDocument.restore(ID, NEW, List.of(), 100);
            assertFalse(reloaded.accept(alice, "a2", second), "ignored: it came on a closed session");
            assertEquals(List.of(), reloaded.nextBatch());

            Recorder rejoined = joined(reloaded, 1);
            reloaded.accept(rejoined, "a1", first);
            reloaded.accept(rejoined, "a2", second);
            publishAll(reloaded).forEach(reloaded::logged);
            assertEquals("xy", reloaded.text(), "both edits, in order");
            assertTrue(rejoined.events.containsAll(List.of(new Acked("a1", 1), new Acked("a2", 2))));
        }

        /**
         * Issue 14, finding 2: a batch the bridge dead-letters never reaches the log, and its
         * clients waited for an ack forever. The bridge's dropped-batch record tells them.
         */
        @Test
        void aDroppedBatchIsRefusedToItsClientsAndItsInsertsAreNoLongerOnTheirWay() {
            Recorder alice = joinedAt(1);
            Recorder bob = joinedAt(2);
            Replica a = new Replica(1);
            Delta lost = a.insert(0, "x");
            cut.accept(alice, "a1", lost);
            List<SubmittedDelta> batch = cut.nextBatch();
            cut.published(batch);
            byte[] notice = DeltaBatchCodec.encodeDropped(batch);
            cut.logged(DeltaBatchCodec.decode(ID, 7, notice));

            assertEquals(List.of(new Refused("a1", LiveDocument.NOT_STORED)), alice.drain());
            assertEquals(List.of(), bob.events, "nothing for the others");
            assertEquals(0, cut.version());
            assertTrue(cut.allLogged(), "nothing is on its way any more");
            cut.logged(DeltaBatchCodec.decode(ID, 8, notice));
            assertEquals(List.of(), alice.events, "told once");
        }

        @Test
        void closeTellsEverySubscriberWhyAndTheyHearNothingMore() {
            Recorder alice = joinedAt(1);
            Recorder bob = joinedAt(2);
            cut.accept(alice, "a1", new Replica(1).insert(0, "x"));
            cut.close(Closure.DELETED);
            assertEquals(List.of(new Closed(Closure.DELETED)), alice.drain());
            assertEquals(List.of(new Closed(Closure.DELETED)), bob.drain());
            assertEquals(0, cut.subscriberCount());

            commit();
            assertEquals("x", cut.text(), "the log still applies");
            assertEquals(List.of(), alice.events, "no ack after the close");
            assertEquals(List.of(), bob.events);
        }
    }

    /**
     * The group commit keeps one round on its way to the log per document: the next goes when the
     * last is back, and takes all that was accepted meanwhile. The bridge forwards one message at a
     * time per document, so rounds sent faster only waited in the broker (issue 13).
     */
    @Nested
    class Rounds {

        final Recorder alice = joinedAt(1);
        final Replica a = new Replica(1);

        /** Alice's delta, published as a round of its own that is now on its way to the log. */
        List<SubmittedDelta> publishedRound(String opId, Delta delta) {
            cut.accept(alice, opId, delta);
            List<SubmittedDelta> round = cut.nextBatch();
            cut.published(round);
            assertEquals(List.of(), cut.nextBatch(), "the round ends; the next waits for it");
            return round;
        }

        @Test
        void theNextRoundWaitsForTheLastToComeBackAndTakesEverythingAcceptedMeanwhile() {
            assertTrue(cut.accept(alice, "a0", a.insert(0, "x")));
            List<SubmittedDelta> first = cut.nextBatch();
            cut.published(first);
            for (int i = 1; i <= 20; i++) {
                assertFalse(cut.accept(alice, "a" + i, a.insert(i, "x")), "a round is on its way");
            }
            assertEquals(List.of(), cut.nextBatch(), "nothing goes while the round is on its way");

            assertTrue(cut.logged(log.append(first)), "its record is back: the next round starts");
            List<SubmittedDelta> second = cut.nextBatch();
            assertEquals(20, second.size(), "one round for all twenty");
            cut.published(second);
            assertFalse(cut.logged(log.append(second)), "nothing left to publish");
            assertEquals("x".repeat(21), cut.text());
        }

        @Test
        void aRoundTheLogDoesNotBringBackInTimeLetsTheNextGo() {
            List<SubmittedDelta> first = publishedRound("a0", a.insert(0, "x"));
            cut.accept(alice, "a1", a.insert(1, "y"));
            long published = System.nanoTime();
            assertFalse(cut.stopWaitingForOverdueRound(published), "not overdue yet");
            assertTrue(cut.stopWaitingForOverdueRound(published + LiveDocument.ROUND_PATIENCE_NANOS));
            assertEquals(1, cut.nextBatch().size());
        }

        /**
         * The bridge refused a round: the site's deltas queued after it are refused with it, so the
         * log never gets a site's later counters without the earlier ones. A resend of both, once
         * the client has reloaded, is applied; with the gap it would have looked like a repeat of
         * characters deleted since and been dropped unseen (docs/lseq.md, "Forgetting deletes").
         */
        @Test
        void aDroppedRoundTakesTheSitesLaterQueuedDeltasWithItAndTheirResendIsApplied() {
            Delta lost = a.insert(0, "ab");
            List<SubmittedDelta> first = publishedRound("a0", lost);
            Delta later = a.insert(2, "c");
            cut.accept(alice, "a1", later);
            LoggedBatch dropped = new LoggedBatch(ID, 0, first, false, true);
            cut.logged(dropped);
            assertEquals(List.of(new Refused("a0", "not-stored"), new Refused("a1", "not-stored")), alice.drain());
            assertEquals(List.of(), cut.nextBatch(), "nothing of that site goes after the lost round");

            // The client reloads and sends both again, here on a node that read the same log.
            log.skipTo(1);
            LiveDocument other = LiveDocument.restore(ID, NEW, List.of(dropped), 100);
            Recorder again = joined(other, 1);
            other.accept(again, "a0", lost);
            other.accept(again, "a1", later);
            publishAll(other);
            readLog(other);
            assertEquals("abc", other.text());
            assertEquals(List.of(new Acked("a0", 1), new Acked("a1", 2)), again.drain());
        }

        @Test
        void withTwoRoundsAllowedOnTheirWayTheSecondGoesAtOnceAndTheThirdWaitsForTheFirst() {
            cut = LiveDocument.restore(ID, NEW, List.of(), 100, 2);
            Recorder alice = joined(cut, 1);
            assertTrue(cut.accept(alice, "a0", a.insert(0, "x")));
            List<SubmittedDelta> first = cut.nextBatch();
            cut.published(first);

            List<SubmittedDelta> second = cut.nextBatch();
            assertEquals(List.of(), second, "nothing accepted yet: the publishing ends");
            assertTrue(cut.accept(alice, "a1", a.insert(1, "y")), "one round on its way: the next may go");
            second = cut.nextBatch();
            assertEquals(
                    List.of("a1"), second.stream().map(SubmittedDelta::opId).toList());
            cut.published(second);

            assertFalse(cut.accept(alice, "a2", a.insert(2, "z")), "two on their way: the third waits");
            assertEquals(List.of(), cut.nextBatch());
            assertTrue(cut.logged(log.append(first)), "the first is back: the third goes");
            List<SubmittedDelta> third = cut.nextBatch();
            assertEquals(List.of("a2"), third.stream().map(SubmittedDelta::opId).toList());
            cut.published(third);
            cut.logged(log.append(second));
            cut.logged(log.append(third));

            assertEquals("xyz", cut.text());
            assertEquals(List.of(new Acked("a0", 1), new Acked("a1", 2), new Acked("a2", 3)), alice.drain());
        }

        @Test
        void aRoundTheLogDroppedLetsTheNextGo() {
            List<SubmittedDelta> first = publishedRound("a0", a.insert(0, "x"));
            Recorder bob = joinedAt(2);
            cut.accept(bob, "b1", new Replica(2).insert(0, "y"));
            assertTrue(cut.logged(new LoggedBatch(ID, 0, first, false, true)), "dropped counts as back");
            assertEquals(
                    List.of("b1"),
                    cut.nextBatch().stream().map(SubmittedDelta::opId).toList());
        }
    }

    @Nested
    class Leaving {

        final Recorder alice = joinedAt(1);
        final Recorder bob = joinedAt(2);
        final Replica a = new Replica(1);
        final Delta typed = a.insert(0, "hi");

        @Test
        void anOriginThatLeftBeforeItsRecordCameBackGetsNoAckAndTheRecordStillApplies() {
            assertTrue(cut.accept(alice, "a1", typed));
            cut.leave(alice);
            publishAll(cut);
            assertFalse(cut.allLogged(), "her delta is still on its way to the log");

            List<AcceptedDelta> logged = commit();
            assertEquals("hi", cut.text());
            assertEquals(1, cut.version());
            assertEquals(List.of(), alice.events, "no stray ack to a subscriber that left");
            assertEquals(List.of(new Delivered(logged.get(0))), bob.events);
            assertTrue(cut.allLogged());
        }

        @Test
        void anOriginBackOnANewConnectionThatResentIsAckedNotSentItsOwnDelta() {
            cut.accept(alice, "a1", typed);
            cut.leave(alice);
            Recorder aliceAgain = new Recorder(1);
            cut.join(aliceAgain, 0, 0);
            assertEquals(List.of(new Joined(0, null)), aliceAgain.drain());
            assertFalse(cut.accept(aliceAgain, "a1", typed), "a1 is already on its way");

            List<AcceptedDelta> logged = commit();
            assertEquals(List.of(1L), versions(logged), "logged once");
            assertEquals(List.of(), alice.events);
            assertEquals(List.of(new Acked("a1", 1)), aliceAgain.events);
            assertEquals(List.of(new Delivered(logged.get(0))), bob.events);
        }

        @Test
        void anOriginBackOnANewConnectionThatDidNotResendYetGetsItsOwnDeltaThenItsAck() {
            cut.accept(alice, "a1", typed);
            cut.leave(alice);
            Recorder aliceAgain = new Recorder(1);
            cut.join(aliceAgain, 0, 0);
            aliceAgain.drain();

            List<AcceptedDelta> logged = commit();
            assertEquals(List.of(new Delivered(logged.get(0))), aliceAgain.drain());
            assertFalse(cut.accept(aliceAgain, "a1", typed));
            assertEquals(List.of(new Acked("a1", 1)), aliceAgain.events, "acknowledged at once: it is logged");
            assertEquals(List.of(), cut.nextBatch(), "nothing to publish");
        }
    }

    @Nested
    class InFlight {

        final Recorder alice = joinedAt(1);
        final Recorder bob = joinedAt(2);
        final Replica a = new Replica(1);

        @Test
        void aClientMayDeleteWhatItJustTypedBeforeItIsLogged() {
            Delta typed = a.insert(0, "ab");
            Delta deleted = a.delete(1, 1);
            Delta more = a.insert(1, "c");
            assertTrue(cut.accept(alice, "a1", typed));
            assertFalse(cut.accept(alice, "a2", deleted), "b is on its way to the log: alice may delete it");
            assertFalse(cut.accept(alice, "a3", more));
            assertEquals("", cut.text());

            List<AcceptedDelta> logged = commit();
            assertEquals(List.of(1L, 2L, 3L), versions(logged));
            assertEquals("ac", cut.text());
            assertEquals(List.of(new Acked("a1", 1), new Acked("a2", 2), new Acked("a3", 3)), alice.events);
            Replica b = new Replica(2);
            bob.applyDeliveries(b);
            assertEquals("ac", b.text());
            assertTrue(cut.allLogged());
        }

        @Test
        void andFromANewConnectionAfterSendingItAgain() {
            Delta typed = a.insert(0, "ab");
            cut.accept(alice, "a1", typed);
            cut.leave(alice);
            Recorder aliceAgain = joinedAt(1);
            cut.accept(aliceAgain, "a1", typed);
            cut.accept(aliceAgain, "a2", a.delete(0, 1));

            commit();
            assertEquals("b", cut.text());
            assertEquals(List.of(new Acked("a1", 1), new Acked("a2", 2)), aliceAgain.events);
        }

        @Test
        void aForgedInsertReusingTheCounterOfAnInsertOnItsWayIsRefused() {
            Delta typed = a.insert(0, "a");
            cut.accept(alice, "a1", typed);
            Identifier onItsWay = a.identifierAt(0);
            RefusedDeltaException refused = assertThrows(
                    RefusedDeltaException.class,
                    () -> cut.accept(alice, "bad", Delta.of(new Insert(sameCounterElsewhere(onItsWay), 'b'))));
            assertTrue(refused.getMessage().contains("reuses counter"), refused.getMessage());
            assertEquals(List.of(new SubmittedDelta("a1", 1, typed)), cut.nextBatch(), "only a1 waits");
            commit();
            assertEquals("a", cut.text());
        }

        @Test
        void aForgedDeleteOfTheCounterOfAnInsertOnItsWayIsRefused() {
            cut.accept(alice, "a1", a.insert(0, "a"));
            Identifier onItsWay = a.identifierAt(0);
            assertThrows(
                    RefusedDeltaException.class,
                    () -> cut.accept(alice, "bad", Delta.of(new Delete(sameCounterElsewhere(onItsWay)))));
            commit();
            assertEquals("a", cut.text());
        }

        @Test
        void resentWhileOnItsWayIsAcknowledgedOnceLoggedWithTheSameVersion() {
            Delta typed = a.insert(0, "hello");
            assertTrue(cut.accept(alice, "a1", typed));
            assertFalse(cut.accept(alice, "a1", typed));
            assertEquals(List.of(new SubmittedDelta("a1", 1, typed)), cut.nextBatch(), "published once");
            assertEquals(List.of(), alice.events, "not logged yet");

            List<AcceptedDelta> logged = commit();
            assertEquals(List.of(1L), versions(logged));
            assertEquals(List.of(new Acked("a1", 1), new Acked("a1", 1)), alice.events);
            assertEquals(List.of(new Delivered(logged.get(0))), bob.events, "delivered once");
            assertEquals("hello", cut.text());
        }

        @Test
        void theSameOperationsUnderANewOpIdAreLoggedAgainButAckedWithVersionZeroAfterTheFirst() {
            Delta typed = a.insert(0, "hello");
            cut.accept(alice, "a1", typed);
            cut.accept(alice, "a1-again", typed);
            assertEquals(List.of(), alice.events, "a1 is not logged yet, so neither is what a1-again holds");
            assertEquals(2, cut.nextBatch().size());

            List<AcceptedDelta> logged = commit();
            assertEquals(List.of(1L), versions(logged));
            assertEquals(List.of(new Acked("a1", 1), new Acked("a1-again", 0)), alice.events);
            assertEquals(1, cut.version());
        }
    }

    @Nested
    class Duplicates {

        final Recorder alice = joinedAt(1);
        final Recorder bob = joinedAt(2);
        final Replica a = new Replica(1);

        @Test
        void resentAfterLoggedIsAcknowledgedAgainWithItsVersion() {
            Delta typed = a.insert(0, "hello");
            cut.accept(alice, "a1", typed);
            commit();
            alice.drain();
            bob.drain();

            assertFalse(cut.accept(alice, "a1", typed));
            assertEquals(List.of(new Acked("a1", 1)), alice.drain(), "acknowledged at once: it is logged");
            assertEquals(List.of(), cut.nextBatch(), "nothing to publish");
            assertEquals(1, cut.version());
            assertEquals(List.of(), bob.events, "nothing delivered");

            // The same client after a reconnect: a new subscriber, same site.
            Recorder aliceAgain = new Recorder(1);
            cut.join(aliceAgain, 1, 0);
            aliceAgain.drain();
            cut.accept(aliceAgain, "a1", typed);
            assertEquals(List.of(new Acked("a1", 1)), aliceAgain.events);
            assertEquals(1, cut.version());
        }

        @Test
        void theSameOperationsUnderANewOpIdAreAcknowledgedWithVersionZero() {
            Delta typed = a.insert(0, "hello");
            cut.accept(alice, "a1", typed);
            commit();
            alice.drain();
            bob.drain();

            assertFalse(cut.accept(alice, "a1-again", typed));
            assertEquals(List.of(new Acked("a1-again", 0)), alice.events);
            assertEquals(List.of(), cut.nextBatch());
            assertEquals(1, cut.version());
            assertEquals(List.of(), bob.events);
        }

        @Test
        void aResendTheDocumentNoLongerRemembersIsAcknowledgedWithVersionZero() {
            cut = LiveDocument.restore(ID, NEW, List.of(), 2);
            Recorder alice = joinedAt(1);
            Delta first = a.insert(0, "1");
            cut.accept(alice, "a1", first);
            cut.accept(alice, "a2", a.insert(1, "2"));
            cut.accept(alice, "a3", a.insert(2, "3"));
            commit();
            alice.drain();

            cut.accept(alice, "a1", first);
            assertEquals(List.of(new Acked("a1", 0)), alice.events, "a1 is beyond the last two: version 0");
            assertEquals(List.of(), cut.nextBatch());
            assertEquals(3, cut.version());
        }

        @Test
        void onlyTheUnseenPartOfAResentDeltaIsPublishedAndDelivered() {
            Delta first = a.insert(0, "ab");
            cut.accept(alice, "a1", first);
            commit();
            bob.drain();
            Delta second = a.insert(2, "c");
            List<Operation> both = new ArrayList<>(first.operations());
            both.addAll(second.operations());

            cut.accept(alice, "a1+a2", new Delta(both));
            assertEquals(List.of(new SubmittedDelta("a1+a2", 1, second)), cut.nextBatch());
            List<AcceptedDelta> logged = commit();
            assertEquals(1, logged.size());
            assertEquals(second, logged.get(0).delta());
            assertEquals(List.of(new Delivered(logged.get(0))), bob.events);
            assertEquals("abc", cut.text());
        }

        /** protocol.md: an opId is unique per client only; two clients both counting from 1 is fine. */
        @Test
        void twoClientsUsingTheSameOpIdAreBothApplied() {
            cut.accept(alice, "1", new Replica(1).insert(0, "A"));
            commit();
            cut.accept(bob, "1", new Replica(2).insert(0, "B"));
            cut.accept(alice, "2", new Replica(1, 1, LseqParameters.DEFAULT).insert(0, "C"));
            cut.accept(bob, "2", new Replica(2, 1, LseqParameters.DEFAULT).insert(0, "D"));
            commit();

            assertEquals(4, cut.version());
            assertEquals(4, cut.length());
            assertTrue(bob.events.containsAll(List.of(new Acked("1", 2), new Acked("2", 4))), bob.events::toString);
        }
    }

    /**
     * Operations a client might send under an opId it already used for {@code typed} ("hi", two
     * inserts of site 1 typed on {@code a}): none of them is what it sent under that opId.
     */
    enum OtherContent {
        ONE_OF_ITS_OPERATIONS {
            @Override
            Delta from(Delta typed, Replica a) {
                return Delta.of(typed.operations().get(0));
            }
        },
        ANOTHER_CHARACTER_AT_ITS_IDENTIFIER {
            @Override
            Delta from(Delta typed, Replica a) {
                return Delta.of(new Insert(typed.operations().get(0).id(), 'H'));
            }
        },
        ITSELF_AND_A_NEW_INSERT {
            @Override
            Delta from(Delta typed, Replica a) {
                return plus(typed, a.insert(a.length(), "!"));
            }
        },
        ITSELF_AND_A_DELETE_OF_ITS_OWN_CHARACTER {
            @Override
            Delta from(Delta typed, Replica a) {
                return plus(typed, Delta.of(new Delete(typed.operations().get(0).id())));
            }
        },
        ITSELF_AND_AN_INSERT_UNDER_ANOTHER_SITE {
            @Override
            Delta from(Delta typed, Replica a) {
                return plus(typed, new Replica(2).insert(0, "x"));
            }
        },
        ITSELF_AND_A_DIGIT_OUT_OF_RANGE {
            @Override
            Delta from(Delta typed, Replica a) {
                int rootBase = LseqParameters.DEFAULT.base(0);
                return plus(typed, Delta.of(new Insert(Identifier.of(rootBase, 1, 99), 'x')));
            }
        };

        abstract Delta from(Delta typed, Replica a);

        static Delta plus(Delta first, Delta second) {
            List<Operation> both = new ArrayList<>(first.operations());
            both.addAll(second.operations());
            return new Delta(both);
        }
    }

    /**
     * An opId names one delta of its client: the same opId again with the same operations is a
     * resend (acknowledged with its version), with other operations it is refused and changes
     * nothing, whether the first is logged, on its way, or known only from the log. What the
     * client sent may have been trimmed to what the document had not seen: its resend is still a
     * resend.
     */
    @Nested
    class ReusedOpIds {

        final Recorder alice = joinedAt(1);
        final Recorder bob = joinedAt(2);
        final Replica a = new Replica(1);
        final Delta typed = a.insert(0, "hi");

        /** What a refused delta must leave as it was. */
        record Seen(String text, long version, List<SubmittedDelta> waiting, boolean allLogged) {}

        Seen seen(LiveDocument document) {
            return new Seen(
                    document.text(), document.version(), List.copyOf(document.nextBatch()), document.allLogged());
        }

        void assertRefusedChangingNothing(LiveDocument document, Recorder sender, String opId, Delta delta) {
            Seen before = seen(document);
            RefusedDeltaException refused =
                    assertThrows(RefusedDeltaException.class, () -> document.accept(sender, opId, delta));
            assertEquals("invalid-delta", refused.code(), refused.getMessage());
            assertEquals(before, seen(document), "the refused delta changed nothing");
            assertEquals(List.of(), alice.events, "nobody hears of it");
            assertEquals(List.of(), bob.events);
        }

        @ParameterizedTest
        @EnumSource(OtherContent.class)
        void otherOperationsUnderTheOpIdOfALoggedDeltaAreRefused(OtherContent other) {
            cut.accept(alice, "a1", typed);
            commit();
            alice.drain();
            bob.drain();

            assertRefusedChangingNothing(cut, alice, "a1", other.from(typed, a));
            assertFalse(cut.accept(alice, "a1", typed), "the real resend");
            assertEquals(List.of(new Acked("a1", 1)), alice.drain(), "is still acknowledged with its version");
            assertEquals("hi", cut.text());
        }

        @ParameterizedTest
        @EnumSource(OtherContent.class)
        void otherOperationsUnderTheOpIdOfADeltaOnItsWayAreRefused(OtherContent other) {
            assertTrue(cut.accept(alice, "a1", typed));

            assertRefusedChangingNothing(cut, alice, "a1", other.from(typed, a));
            assertFalse(cut.accept(alice, "a1", typed), "the real resend waits with the first");
            List<AcceptedDelta> logged = commit();
            assertEquals(List.of(1L), versions(logged));
            assertEquals(List.of(new Acked("a1", 1), new Acked("a1", 1)), alice.events);
            assertEquals(List.of(new Delivered(logged.get(0))), bob.events);
            assertEquals("hi", cut.text());
        }

        @ParameterizedTest
        @EnumSource(OtherContent.class)
        void otherOperationsUnderAnOpIdKnownOnlyFromTheLogAreRefused(OtherContent other) {
            log.append(List.of(new SubmittedDelta("a1", 1, typed)));
            LiveDocument restored = LiveDocument.restore(ID, NEW, log.records, 100);
            Recorder aliceThere = joined(restored, 1);

            Seen before = seen(restored);
            RefusedDeltaException refused = assertThrows(
                    RefusedDeltaException.class, () -> restored.accept(aliceThere, "a1", other.from(typed, a)));
            assertEquals("invalid-delta", refused.code());
            assertEquals(before, seen(restored));
            assertEquals(List.of(), aliceThere.events);
            assertFalse(restored.accept(aliceThere, "a1", typed));
            assertEquals(List.of(new Acked("a1", 1)), aliceThere.events);
        }

        /** "a2" holds "hi" again and "!": only "!" goes to the log, yet "a2" resent whole is "a2". */
        @Test
        void aResendOfAPartlyAppliedDeltaIsADuplicateOnItsWayLoggedAndOnAnotherNode() {
            cut.accept(alice, "a1", typed);
            commit();
            alice.drain();
            bob.drain();
            Delta bang = a.insert(2, "!");
            Delta sent = OtherContent.plus(typed, bang);
            assertTrue(cut.accept(alice, "a2", sent));
            assertEquals(List.of(new SubmittedDelta("a2", 1, bang)), cut.nextBatch(), "trimmed to what is new");

            assertFalse(cut.accept(alice, "a2", sent), "on its way");
            assertRefusedChangingNothing(cut, alice, "a2", typed);
            commit();
            assertEquals(List.of(new Acked("a2", 2), new Acked("a2", 2)), alice.drain());
            bob.drain();
            assertFalse(cut.accept(alice, "a2", sent), "logged");
            assertEquals(List.of(new Acked("a2", 2)), alice.drain());
            assertRefusedChangingNothing(cut, alice, "a2", OtherContent.plus(sent, a.insert(3, "?")));

            LiveDocument elsewhere = LiveDocument.restore(ID, NEW, log.records, 100);
            Recorder aliceThere = joined(elsewhere, 1);
            assertFalse(elsewhere.accept(aliceThere, "a2", sent), "a node that knows only the trimmed delta");
            assertEquals(List.of(new Acked("a2", 2)), aliceThere.events);
            assertEquals(List.of(), elsewhere.nextBatch());
        }
    }

    @Nested
    class Replays {

        final Recorder alice = joinedAt(1);
        final Recorder bob = joinedAt(2);
        final Replica a = new Replica(1);

        @Test
        void aRecordReadTwiceAppliesOnce() {
            cut.accept(alice, "a1", a.insert(0, "x"));
            LoggedBatch record = publishAll(cut).get(0);
            cut.logged(record);
            alice.drain();
            bob.drain();

            cut.logged(record);
            assertEquals("x", cut.text());
            assertEquals(1, cut.version());
            assertEquals(List.of(), alice.events);
            assertEquals(List.of(), bob.events);
        }

        @Test
        void aRecordAtOrBeforeTheLastOffsetReadIsSkippedWhateverItHolds() {
            log.skipTo(5);
            cut.accept(alice, "a1", a.insert(0, "x"));
            commit();
            assertEquals(5, cut.logOffset());
            bob.drain();

            cut.logged(LoggedBatch.of(ID, 3, List.of(new SubmittedDelta("e1", 7, new Replica(7).insert(0, "old")))));
            cut.logged(LoggedBatch.of(ID, 5, List.of(new SubmittedDelta("e2", 7, new Replica(7).insert(0, "dup")))));
            cut.logged(new LoggedBatch(ID, 4, List.of(), true));
            assertEquals("x", cut.text());
            assertEquals(1, cut.version());
            assertEquals(5, cut.logOffset());
            assertFalse(cut.deleted(), "a deletion replayed from before is not news");
            assertEquals(List.of(), bob.events);
            assertEquals(2, cut.subscriberCount(), "alice and bob are still on it");
        }

        @Test
        void theSameOpIdRepublishedInALaterRecordChangesNothing() {
            Delta typed = a.insert(0, "x");
            cut.accept(alice, "a1", typed);
            LoggedBatch record = publishAll(cut).get(0);
            // A producer's retry, or another node the client sent it to as well.
            LoggedBatch again = log.append(record.deltas());

            cut.logged(record);
            cut.logged(again);
            assertEquals(1, cut.version());
            assertEquals(again.offset(), cut.logOffset());
            assertEquals(List.of(new Acked("a1", 1)), alice.events, "acknowledged once");
            assertEquals(List.of(new Delivered(new AcceptedDelta(1, "a1", 1, typed, record.offset()))), bob.events);
            assertFalse(cut.snapshotDue(2, Long.MAX_VALUE), "one version, not two");
        }

        @Test
        void anInvalidDeltaInTheLogIsSkippedAlikeByEveryNode() {
            LiveDocument other = LiveDocument.restore(ID, NEW, List.of(), 100);
            Recorder carol = joined(other, 3);
            Delta typed = a.insert(0, "a");
            Identifier taken = a.identifierAt(0);
            Delta fromBob = new Replica(2).insert(0, "b");
            log.append(List.of(new SubmittedDelta("a1", 1, typed)));
            log.append(List.of(
                    new SubmittedDelta("forged", 1, Delta.of(new Insert(taken, 'Q'))),
                    new SubmittedDelta("b1", 2, fromBob)));

            List<AcceptedDelta> here = readLog(cut);
            List<AcceptedDelta> there = readLog(other);
            assertEquals(List.of(1L, 2L), versions(here), "the forged delta gets no version");
            assertEquals(here, there);
            assertEquals(cut.text(), other.text());
            assertEquals(2, carol.deliveries().size());
            assertEquals("ba", cut.text());
        }
    }

    @Nested
    class Deletion {

        @Test
        void aDeletedRecordClosesEverySubscriberWithDeleted() {
            Recorder alice = joinedAt(1);
            Recorder bob = joinedAt(2);
            cut.accept(alice, "a1", new Replica(1).insert(0, "x"));
            publishAll(cut);
            LoggedBatch deleted = log.appendDeleted();

            cut.logged(deleted);
            assertTrue(cut.deleted());
            assertEquals(deleted.offset(), cut.logOffset());
            assertEquals(List.of(new Closed(Closure.DELETED)), alice.drain(), "closed, never acknowledged");
            assertEquals(List.of(new Closed(Closure.DELETED)), bob.drain());
            assertEquals(0, cut.subscriberCount());
        }

        @Test
        void aDeletedRecordClosesSubscribersOnEveryNode() {
            LiveDocument other = LiveDocument.restore(ID, NEW, List.of(), 100);
            Recorder alice = joinedAt(1);
            Recorder carol = joined(other, 3);
            log.appendDeleted();
            log.records.forEach(cut::logged);
            log.records.forEach(other::logged);
            assertEquals(List.of(new Closed(Closure.DELETED)), alice.events);
            assertEquals(List.of(new Closed(Closure.DELETED)), carol.events);
            assertTrue(other.deleted());
        }

        @Test
        void aDocumentRestoredFromALogThatDeletedItIsDeleted() {
            log.append(List.of(new SubmittedDelta("a1", 1, new Replica(1).insert(0, "x"))));
            log.appendDeleted();
            assertTrue(LiveDocument.restore(ID, NEW, log.records, 100).deleted());
            assertFalse(LiveDocument.restore(ID, NEW, log.records.subList(0, 1), 100)
                    .deleted());
        }
    }

    @Nested
    class Ownership {

        final Recorder alice = joinedAt(1);
        final Recorder bob = joinedAt(2);
        final Replica a = new Replica(1);

        void assertRefusedChangingNothing(Recorder sender, Delta delta, String messagePart) {
            String textBefore = cut.text();
            long versionBefore = cut.version();
            RefusedDeltaException refused =
                    assertThrows(RefusedDeltaException.class, () -> cut.accept(sender, "bad", delta));
            assertTrue(refused.getMessage().contains(messagePart), refused.getMessage());
            assertEquals(List.of(), cut.nextBatch(), "nothing waits to be published");
            assertEquals(textBefore, cut.text());
            assertEquals(versionBefore, cut.version());
            assertEquals(List.of(), alice.events);
            assertEquals(List.of(), bob.events);
            assertTrue(cut.allLogged());
        }

        @Test
        void anInsertUnderAnotherSiteIsRefused() {
            cut.accept(alice, "a1", a.insert(0, "alice"));
            commit();
            alice.drain();
            bob.drain();
            Replica posingAsAlice = new Replica(1, 100, LseqParameters.DEFAULT);
            assertRefusedChangingNothing(bob, posingAsAlice.insert(0, "x"), "site");

            // Valid own inserts first, so that a half-accepted delta would show.
            Replica b = new Replica(2);
            List<Operation> mixed = new ArrayList<>(b.insert(0, "ok").operations());
            mixed.addAll(posingAsAlice.insert(0, "y").operations());
            assertRefusedChangingNothing(bob, new Delta(mixed), "site");
            assertEquals("alice", cut.text());
        }

        @Test
        void aForgedInsertReusingAnUsedCounterIsRefused() {
            cut.accept(alice, "a1", a.insert(0, "a"));
            commit();
            alice.drain();
            bob.drain();
            Identifier used = a.identifierAt(0);
            assertRefusedChangingNothing(
                    alice, Delta.of(new Insert(sameCounterElsewhere(used), 'b')), "reuses counter");
            assertEquals("a", cut.text());
        }

        @Test
        void aForgedInsertReusingACounterWithinOneDeltaIsRefused() {
            Delta twice = Delta.of(new Insert(Identifier.of(5, 1, 7), 'a'), new Insert(Identifier.of(9, 1, 7), 'b'));
            assertRefusedChangingNothing(alice, twice, "reuses counter");
        }

        @Test
        void aForgedInsertReusingACounterSeenOnlyInTheLogIsRefused() {
            // Alice typed on another node; this node only read it.
            Replica elsewhere = new Replica(1);
            log.append(List.of(new SubmittedDelta("a1", 1, elsewhere.insert(0, "a"))));
            readLog(cut);
            alice.drain();
            bob.drain();
            assertRefusedChangingNothing(
                    alice,
                    Delta.of(new Insert(sameCounterElsewhere(elsewhere.identifierAt(0)), 'b')),
                    "reuses counter");
        }

        @Test
        void aForgedIdentifierHoldingAnotherCharacterIsRefused() {
            cut.accept(alice, "a1", a.insert(0, "a"));
            commit();
            alice.drain();
            bob.drain();
            assertRefusedChangingNothing(alice, Delta.of(new Insert(a.identifierAt(0), 'Q')), "different character");
        }

        @Test
        void anInvalidDeltaIsRefusedAndLeavesNoTrace() {
            int rootBase = LseqParameters.DEFAULT.base(0);
            Identifier valid = Identifier.of(7, 1, 0);
            Delta bad = Delta.of(new Insert(valid, 'z'), new Insert(Identifier.of(rootBase, 1, 1), 'x'));
            assertRefusedChangingNothing(alice, bad, "outside its base");

            // The refused delta's counter 0 was not counted as used: alice's real first insert is accepted.
            Delta typed = a.insert(0, "h");
            assertEquals(0, ((Insert) typed.operations().get(0)).id().counter());
            assertNotEquals(valid, ((Insert) typed.operations().get(0)).id());
            assertTrue(cut.accept(alice, "a1", typed));
            commit();
            assertEquals("h", cut.text());
        }

        @Test
        void deletesOfOthersCharactersAreAccepted() {
            cut.accept(alice, "a1", a.insert(0, "abc"));
            commit();
            Replica b = new Replica(2);
            bob.applyDeliveries(b);
            cut.accept(bob, "b1", b.delete(1, 1));
            commit();
            assertEquals("ac", cut.text());
            assertEquals(b.text(), cut.text());
        }

        /**
         * A client that deletes a (site, counter) another site has not used yet would suppress
         * that site's next character on the server, while the site itself shows it.
         */
        @Test
        void aDeleteOfACharacterNotYetTypedIsRefused() {
            assertRefusedChangingNothing(alice, Delta.of(new Delete(Identifier.of(100, 2, 0))), "never had");
            Replica b = new Replica(2);
            cut.accept(bob, "b1", b.insert(0, "x"));
            commit();
            assertEquals("x", cut.text());
        }

        /**
         * A delete naming a known (site, counter) under another identifier would record the pair as
         * deleted without removing the character, and the real delete of it would then be dropped.
         */
        @Test
        void aForgedDeleteCannotMakeACharacterUndeletable() {
            Recorder carol = joinedAt(3);
            Replica b = new Replica(2);
            Replica c = new Replica(3);
            cut.accept(bob, "b1", b.insert(0, "x"));
            commit();
            carol.applyDeliveries(c);
            alice.drain();
            bob.drain();
            assertRefusedChangingNothing(alice, Delta.of(new Delete(sameCounterElsewhere(b.identifierAt(0)))), "");

            cut.accept(carol, "c1", c.delete(0, 1));
            commit();
            bob.applyDeliveries(b);
            assertEquals("", c.text());
            assertEquals(c.text(), cut.text());
            assertEquals(c.text(), b.text());
        }
    }

    /**
     * A resend from the same site with the same operations, under its opId or another, of an edit
     * the document holds or has on its way, is a duplicate however the document came to know it
     * (accepted here, read from the log, a snapshot, a reload after a failed publish) and whatever
     * the site typed since. The refusal of counters "used before" only ever meets an insert the
     * document does not know: see {@link #aResendOfAnEditTheLogLostIsRefusedOnceALaterEditOfItsSiteIsLogged}
     * for the one legitimate resend that gets there.
     */
    @Nested
    class ResendsOfWhatTheDocumentHolds {

        final Recorder alice = joinedAt(1);
        final Replica a = new Replica(1);
        /** Counters 0 and 1 of site 1. */
        final Delta first = a.insert(0, "ab");

        void assertDuplicate(LiveDocument document, Recorder sender, String opId, Delta delta, long version) {
            String text = document.text();
            assertFalse(document.accept(sender, opId, delta));
            assertEquals(List.of(new Acked(opId, version)), sender.drain());
            assertEquals(List.of(), document.nextBatch(), "nothing to publish");
            assertEquals(text, document.text());
        }

        void assertForgeriesRefused(LiveDocument document, Recorder sender) {
            Identifier b = ((Insert) first.operations().get(1)).id();
            for (Delta forged :
                    List.of(Delta.of(new Insert(sameCounterElsewhere(b), 'b')), Delta.of(new Insert(b, 'B')))) {
                for (String opId : List.of("a1", "forged")) {
                    RefusedDeltaException refused =
                            assertThrows(RefusedDeltaException.class, () -> document.accept(sender, opId, forged));
                    assertEquals("invalid-delta", refused.code(), refused.getMessage());
                }
            }
            assertEquals(List.of(), document.nextBatch());
            assertEquals(List.of(), sender.drain());
        }

        @Test
        void afterLaterEditsOfTheSiteWereLogged() {
            cut.accept(alice, "a1", first);
            cut.accept(alice, "a2", a.insert(2, "cd"));
            commit();
            alice.drain();

            assertDuplicate(cut, alice, "a1", first, 1);
            assertDuplicate(cut, alice, "a1-again", first, 0);
            assertForgeriesRefused(cut, alice);
        }

        @Test
        void onANodeThatReadItFromTheLog() {
            cut.accept(alice, "a1", first);
            cut.accept(alice, "a2", a.insert(2, "cd"));
            publishAll(cut);
            LiveDocument other = LiveDocument.restore(ID, NEW, log.records, 100);
            Recorder aliceThere = joined(other, 1);

            assertDuplicate(other, aliceThere, "a1", first, 1);
            assertDuplicate(other, aliceThere, "a1-again", first, 0);
            assertForgeriesRefused(other, aliceThere);
        }

        /** A snapshot keeps deletes as (site, counter) only, and the live characters' counters. */
        @Test
        void deletedSinceAndRestoredFromASnapshot() {
            cut.accept(alice, "a1", first);
            commit();
            cut.accept(alice, "a2", a.insert(2, "cd"));
            cut.accept(alice, "a3", a.delete(0, 2));
            commit();
            Snapshot snapshot = cut.snapshot();
            LiveDocument restored = LiveDocument.restore(
                    ID, new StoredState(snapshot.bytes(), snapshot.version(), snapshot.logOffset()), List.of(), 100);
            Recorder aliceThere = joined(restored, 1);

            assertDuplicate(restored, aliceThere, "a1", first, 0);
            // Another identifier under a deleted (site, counter) cannot be told from the resend, but
            // changes nothing anywhere either: the delete of that (site, counter) wins.
            Identifier b = ((Insert) first.operations().get(1)).id();
            assertDuplicate(restored, aliceThere, "a1-forged", Delta.of(new Insert(sameCounterElsewhere(b), 'b')), 0);
            assertEquals("cd", restored.text());
        }

        @Test
        void afterAFailedPublishAndAReload() {
            cut.accept(alice, "a1", first);
            commit();
            Delta second = a.insert(2, "cd");
            cut.accept(alice, "a2", second);
            cut.nextBatch();
            cut.publishFailed();

            LiveDocument reloaded = LiveDocument.restore(ID, NEW, log.records, 100);
            Recorder aliceAgain = joined(reloaded, 1);
            assertDuplicate(reloaded, aliceAgain, "a1", first, 1);
            assertTrue(reloaded.accept(aliceAgain, "a2", second), "a2 never reached the log: it is new here");
            publishAll(reloaded);
            readLog(reloaded);
            assertEquals(List.of(new Acked("a2", 2)), aliceAgain.drain());
            assertEquals("abcd", reloaded.text());
            assertForgeriesRefused(reloaded, aliceAgain);
        }

        /** Its record is durable but not in the log yet when the document is read back. */
        @Test
        void afterAReloadWhileItWasOnItsWay() {
            cut.accept(alice, "a1", first);
            List<SubmittedDelta> onItsWay = cut.nextBatch();
            cut.published(onItsWay);

            LiveDocument reloaded = LiveDocument.restore(ID, NEW, log.records, 100);
            Recorder aliceAgain = joined(reloaded, 1);
            assertTrue(reloaded.accept(aliceAgain, "a1", first));
            assertFalse(reloaded.accept(aliceAgain, "a2", a.insert(2, "cd")));
            log.append(onItsWay);
            publishAll(reloaded);
            assertEquals(List.of(1L, 2L), versions(readLog(reloaded)));
            assertEquals(List.of(new Acked("a1", 1), new Acked("a2", 2)), aliceAgain.drain());
            assertEquals("abcd", reloaded.text());
            assertForgeriesRefused(reloaded, aliceAgain);
        }

        /**
         * FOUND: an edit whose record never reaches the log although it was published (the bridge
         * dead-letters a record Kafka refuses, such as one over its 1 MB limit, and goes on) is
         * refused when its client resends it, once a later edit of the same site is logged: "insert
         * ... reuses counter 0 of site 1" (invalid-delta; the browser drops the edit and reloads).
         * The document only keeps each site's highest counter, so it cannot tell a counter that never
         * reached the log from one used for another identifier. (On the node that accepted it, the
         * resend waits for an ack that never comes.) A record Kafka refuses for its size was the known
         * way to lose one; batches are now capped below Kafka's limit ({@link LogLimits}).
         */
        @Test
        @Disabled("FOUND: a resend of an edit the log lost is refused once a later edit of its site is logged")
        void aResendOfAnEditTheLogLostIsRefusedOnceALaterEditOfItsSiteIsLogged() {
            cut.accept(alice, "a1", first);
            cut.published(cut.nextBatch()); // and dead-lettered: it never comes back from the log
            cut.accept(alice, "a2", a.insert(2, "cd"));
            commit();
            LiveDocument other = LiveDocument.restore(ID, NEW, log.records, 100);
            Recorder aliceThere = joined(other, 1);

            assertDoesNotThrow(() -> other.accept(aliceThere, "a1", first));
        }
    }

    @Nested
    class JoinAndCatchUp {

        final List<AcceptedDelta> history = new ArrayList<>();
        final Replica a = new Replica(1);
        Recorder alice;

        /** Five logged versions, one delta each, in a document that keeps the last three. */
        void fiveVersions() {
            cut = LiveDocument.restore(ID, NEW, List.of(), 3);
            alice = joinedAt(1);
            for (String word : new String[] {"one", " two", " three", " four", " five"}) {
                cut.accept(alice, "a" + history.size(), a.insert(a.length(), word));
                history.addAll(commit());
            }
            assertEquals(List.of(1L, 2L, 3L, 4L, 5L), versions(history));
            alice.drain();
        }

        @Test
        void withinTheWindowGetsTheDeltasAfterItsVersion() {
            fiveVersions();
            Replica b = new Replica(2);
            b.apply(history.get(0).delta());
            b.apply(history.get(1).delta());

            Recorder bob = new Recorder(2);
            cut.join(bob, 2, 0);
            assertEquals(
                    List.of(
                            new Joined(2, null),
                            new Delivered(history.get(2)),
                            new Delivered(history.get(3)),
                            new Delivered(history.get(4))),
                    bob.events);
            bob.applyDeliveries(b);
            assertEquals(cut.text(), b.text());
            assertEquals("one two three four five", b.text());

            // Later deltas follow.
            cut.accept(alice, "a5", a.insert(0, ">"));
            List<AcceptedDelta> later = commit();
            assertEquals(List.of(new Delivered(later.get(0))), bob.events);
            bob.applyDeliveries(b);
            assertEquals(cut.text(), b.text());
        }

        @Test
        void upToDateGetsNothingMore() {
            fiveVersions();
            Recorder bob = new Recorder(2);
            cut.join(bob, 5, 0);
            assertEquals(List.of(new Joined(5, null)), bob.events);
        }

        @ParameterizedTest(name = "from version {0}")
        @ValueSource(longs = {-1, 0, 1, 6, 99})
        void outsideTheWindowGetsASnapshot(long fromVersion) {
            fiveVersions();
            Recorder bob = new Recorder(2);
            cut.join(bob, fromVersion, 0);
            Joined joined = bob.onlyJoined();
            assertEquals(5, joined.version());
            assertNotNull(joined.snapshot());
            Replica b = SnapshotCodec.decode(joined.snapshot(), 2, 0);
            assertEquals(cut.text(), b.text());
            assertEquals(a.identifiers(), b.identifiers());

            // The snapshot's replica keeps converging with the deltas that follow.
            bob.drain();
            cut.accept(alice, "a5", a.insert(3, "!"));
            cut.accept(bob, "b1", b.insert(0, "<"));
            commit();
            bob.applyDeliveries(b);
            alice.applyDeliveries(a);
            assertEquals(cut.text(), b.text());
            assertEquals(cut.text(), a.text());
            assertEquals("<one! two three four five", cut.text());
        }

        /**
         * Issue 19, item 3: a catch-up is deltas only while they are smaller than the snapshot.
         * Here 40,000 characters typed and then deleted: the deltas weigh megabytes, the snapshot
         * a few kilobytes, and a 27-byte join asked for the megabytes.
         */
        @Test
        void aCatchUpLargerThanTheSnapshotIsASnapshot() {
            cut = LiveDocument.restore(ID, NEW, List.of(), 100);
            alice = joinedAt(1);
            for (int i = 0; i < 20; i++) {
                cut.accept(alice, "a" + i, a.insert(a.length(), "x".repeat(2_000)));
                commit();
            }
            for (int i = 20; i < 40; i++) {
                cut.accept(alice, "a" + i, a.delete(0, 2_000));
                commit();
            }

            Recorder bob = new Recorder(2);
            cut.join(bob, 0, 0);
            Joined joined = bob.onlyJoined();
            assertEquals(40, joined.version());
            assertNotNull(joined.snapshot(), "a snapshot, not megabytes of deltas");
            assertEquals("", SnapshotCodec.decode(joined.snapshot(), 2, 0).text());

            cut.accept(alice, "a40", a.insert(0, "y"));
            commit();
            Recorder carol = new Recorder(3);
            cut.join(carol, 40, 0);
            assertEquals(2, carol.events.size(), "a small catch-up is the deltas: joined, then the one missed");
            assertEquals(new Joined(40, null), carol.events.get(0));
        }

        @Test
        void aNewDocumentCatchesUpFromVersionZero() {
            Recorder bob = new Recorder(2);
            cut.join(bob, 0, 0);
            assertEquals(List.of(new Joined(0, null)), bob.events);
        }

        @Test
        void joiningWhileADeltaIsOnItsWayGetsItOnceLogged() {
            alice = joinedAt(1);
            cut.accept(alice, "a0", a.insert(0, "ab"));
            history.addAll(commit());
            cut.accept(alice, "a1", a.insert(2, "c"));

            Replica b = new Replica(2);
            b.apply(history.get(0).delta());
            Recorder bob = new Recorder(2);
            cut.join(bob, 1, 0);
            assertEquals(List.of(new Joined(1, null)), bob.drain(), "version 2 is not logged yet");
            List<AcceptedDelta> logged = commit();
            assertEquals(List.of(new Delivered(logged.get(0))), bob.events);
            bob.applyDeliveries(b);
            assertEquals("abc", b.text());
        }

        /** The snapshot holds the log only: what waits for it follows as deltas. */
        @Test
        void aSnapshotJoinWhileADeltaIsOnItsWayGetsTheLoggedStateThenTheDelta() {
            alice = joinedAt(1);
            cut.accept(alice, "a1", a.insert(0, "a"));
            commit();
            cut.accept(alice, "a2", a.insert(1, "b"));

            Recorder carol = new Recorder(3);
            cut.join(carol, -1, 0);
            Joined joined = carol.onlyJoined();
            assertEquals(1, joined.version());
            Replica c = SnapshotCodec.decode(joined.snapshot(), 3, 0);
            assertEquals("a", c.text());

            commit();
            carol.applyDeliveries(c);
            assertEquals("ab", c.text());
        }
    }

    @Nested
    class Restore {

        @Test
        void aRestoredDocumentCarriesOnFromItsSnapshotAndTheRecordsAfterIt() {
            Replica a = new Replica(1);
            a.insert(0, "hello");
            a.delete(0, 1);
            byte[] snapshot = SnapshotCodec.encode(a);
            Delta d3 = a.insert(4, " world");
            Replica b = SnapshotCodec.decode(snapshot, 2, 0);
            b.apply(d3);
            Delta d4 = b.delete(0, 1);
            a.apply(d4);
            // The snapshot is at version 2 and covers the log up to offset 6. The record at 5
            // would change the text: it must be skipped.
            LoggedBatch covered =
                    LoggedBatch.of(ID, 5, List.of(new SubmittedDelta("old", 9, new Replica(9).insert(0, "Z"))));
            LoggedBatch r7 = LoggedBatch.of(ID, 7, List.of(new SubmittedDelta("op3", 1, d3)));
            LoggedBatch r9 = LoggedBatch.of(ID, 9, List.of(new SubmittedDelta("op4", 2, d4)));
            AcceptedDelta v3 = new AcceptedDelta(3, "op3", 1, d3, 7);
            AcceptedDelta v4 = new AcceptedDelta(4, "op4", 2, d4, 9);

            cut = LiveDocument.restore(ID, new StoredState(snapshot, 2, 6), List.of(covered, r7, r9), 100);
            assertEquals("llo world", cut.text());
            assertEquals(a.text(), cut.text());
            assertEquals(4, cut.version());
            assertEquals(9, cut.logOffset());
            assertTrue(cut.hasUnsavedChanges(), "versions 3 and 4 are not in the stored snapshot");

            // A resend of a logged delta is recognised.
            Recorder alice = new Recorder(1);
            cut.join(alice, 4, 0);
            alice.drain();
            assertFalse(cut.accept(alice, "op3", d3));
            assertEquals(List.of(new Acked("op3", 3)), alice.drain());
            assertEquals(List.of(), cut.nextBatch());

            // Clients catch up from the snapshot's version on.
            Recorder bob = new Recorder(2);
            cut.join(bob, 2, 0);
            assertEquals(List.of(new Joined(2, null), new Delivered(v3), new Delivered(v4)), bob.events);
            Recorder carol = new Recorder(3);
            cut.join(carol, 1, 0);
            Joined joined = carol.onlyJoined();
            assertEquals(4, joined.version());
            assertEquals(
                    "llo world", SnapshotCodec.decode(joined.snapshot(), 3, 0).text());

            // The counters alice used before the snapshot are still hers alone.
            assertThrows(
                    RefusedDeltaException.class,
                    () -> cut.accept(
                            alice, "forged", Delta.of(new Insert(sameCounterElsewhere(a.identifierAt(0)), 'x'))));
            assertThrows(
                    RefusedDeltaException.class,
                    () -> cut.accept(
                            alice, "forged", Delta.of(new Insert(sameCounterElsewhere(a.identifierAt(3)), 'x'))));
            assertEquals("llo world", cut.text());

            // And the document takes new versions after the restored ones, from later records.
            log.skipTo(10);
            assertTrue(cut.accept(alice, "op5", a.insert(0, "he")));
            assertEquals(List.of(5L), versions(commit()));
            assertEquals(List.of(new Acked("op5", 5)), alice.events);
            assertEquals("hello world", cut.text());
            assertEquals(10, cut.logOffset());
        }

        @Test
        void aRestoredDocumentKeepsOnlyTheLastDeltasForCatchUp() {
            Replica a = new Replica(1);
            for (int v = 1; v <= 5; v++) {
                log.append(List.of(new SubmittedDelta("op" + v, 1, a.insert(a.length(), "v" + v))));
            }
            cut = LiveDocument.restore(ID, NEW, log.records, 2);
            assertEquals("v1v2v3v4v5", cut.text());
            assertEquals(5, cut.version());
            LiveDocument full = LiveDocument.restore(ID, NEW, List.of(), 100);
            List<AcceptedDelta> after = readLog(full);

            Recorder bob = new Recorder(2);
            cut.join(bob, 3, 0);
            assertEquals(
                    List.of(new Joined(3, null), new Delivered(after.get(3)), new Delivered(after.get(4))), bob.events);
            Recorder carol = new Recorder(3);
            cut.join(carol, 2, 0);
            assertEquals(5, carol.onlyJoined().version());
            assertEquals(
                    "v1v2v3v4v5",
                    SnapshotCodec.decode(carol.onlyJoined().snapshot(), 3, 0).text());
        }

        static LongStream restoreSeeds() {
            return LongStream.range(0, 10);
        }

        /**
         * Three clients edit through the document while it is published to and read from the log
         * at random points, and snapshots are taken at random points, some while deltas are on
         * their way. Every snapshot plus the records after it, and every snapshot plus the whole
         * log, restores the document as it is live; so does the whole log alone.
         */
        @ParameterizedTest(name = "seed {0}")
        @MethodSource("restoreSeeds")
        void aSnapshotPlusTheRecordsAfterItIsTheLiveDocument(long seed) {
            Random random = new Random(seed);
            Log log = new Log(random);
            cut = LiveDocument.restore(ID, NEW, List.of(), 5);
            List<Recorder> subscribers = new ArrayList<>();
            List<Replica> replicas = new ArrayList<>();
            for (int site = 1; site <= 3; site++) {
                subscribers.add(joinedAt(site));
                replicas.add(new Replica(site));
            }
            List<StoredState> snapshots = new ArrayList<>(List.of(NEW));
            int nextOp = 0;
            for (int step = 0; step < 300; step++) {
                int action = random.nextInt(10);
                if (action < 5) {
                    int client = random.nextInt(3);
                    subscribers.get(client).applyDeliveries(replicas.get(client));
                    cut.accept(subscribers.get(client), "op" + nextOp++, randomEdit(replicas.get(client), random));
                } else if (action < 7) {
                    for (List<SubmittedDelta> batch = cut.nextBatch(); !batch.isEmpty(); batch = cut.nextBatch()) {
                        cut.published(batch);
                        log.append(batch);
                    }
                } else if (action < 9) {
                    log.after(cut.logOffset()).forEach(cut::logged);
                } else {
                    Snapshot snapshot = cut.snapshot();
                    assertEquals(cut.version(), snapshot.version(), "seed " + seed);
                    assertEquals(cut.logOffset(), snapshot.logOffset(), "seed " + seed);
                    snapshots.add(new StoredState(snapshot.bytes(), snapshot.version(), snapshot.logOffset()));
                }
            }
            log.after(cut.logOffset()).forEach(cut::logged);

            for (StoredState stored : snapshots) {
                String at = "seed " + seed + ", snapshot at version " + stored.snapshotVersion();
                for (List<LoggedBatch> after : List.of(log.after(stored.logOffset()), log.records)) {
                    LiveDocument restored = LiveDocument.restore(ID, stored, after, 5);
                    assertEquals(cut.text(), restored.text(), at);
                    assertEquals(cut.version(), restored.version(), at);
                    assertEquals(cut.logOffset(), restored.logOffset(), at);
                }
            }
        }
    }

    @Nested
    class SnapshotsAndIdle {

        Recorder alice = joinedAt(1);
        final Replica a = new Replica(1);

        void threeVersions() {
            for (int i = 0; i < 3; i++) {
                cut.accept(alice, "a" + i, a.insert(i, "x"));
            }
            assertFalse(cut.snapshotDue(1, 0), "nothing is logged yet: nothing to save");
            assertFalse(cut.hasUnsavedChanges());
            commit();
        }

        @Test
        void aSnapshotIsDueAfterEnoughVersionsOrTime() {
            assertFalse(cut.snapshotDue(1, 0), "nothing to save, however long ago");
            threeVersions();
            assertTrue(cut.hasUnsavedChanges());
            assertTrue(cut.snapshotDue(3, Long.MAX_VALUE));
            assertFalse(cut.snapshotDue(4, Long.MAX_VALUE));
            assertTrue(cut.snapshotDue(4, 0), "due by time");

            Snapshot snapshot = cut.snapshot();
            assertEquals(3, snapshot.version());
            assertEquals(cut.logOffset(), snapshot.logOffset());
            assertEquals("xxx", SnapshotCodec.decode(snapshot.bytes(), 2, 0).text());
            assertFalse(cut.snapshotDue(1, 0), "just taken");
            assertTrue(cut.hasUnsavedChanges(), "taken is not stored");
            cut.snapshotStored(3);
            assertFalse(cut.hasUnsavedChanges());
            cut.snapshotStored(1);
            assertFalse(cut.hasUnsavedChanges(), "an older snapshot stored later changes nothing");
        }

        @Test
        void aFailedSnapshotIsDueAgain() {
            threeVersions();
            cut.snapshot();
            assertFalse(cut.snapshotDue(3, Long.MAX_VALUE));
            cut.snapshotFailed();
            assertTrue(cut.snapshotDue(3, Long.MAX_VALUE));
        }

        @Test
        void recordsThatChangeNothingMakeNoSnapshotDueButMoveTheOffset() {
            threeVersions();
            Snapshot snapshot = cut.snapshot();
            cut.snapshotStored(snapshot.version());
            LoggedBatch again = log.append(log.records.get(0).deltas());
            cut.logged(again);
            assertEquals(3, cut.version());
            assertEquals(again.offset(), cut.logOffset());
            assertFalse(cut.snapshotDue(1, 0));
            assertFalse(cut.hasUnsavedChanges());
            assertEquals(again.offset(), cut.snapshot().logOffset(), "a snapshot covers every record read");
        }

        @Test
        void idleOnlyWithNoSubscriberAndNothingOnItsWayToTheLog() {
            cut.leave(alice);
            assertTrue(cut.idle(0), "nobody on it");
            assertFalse(cut.idle(Long.MAX_VALUE), "not for long enough");
            alice = joinedAt(1);
            assertFalse(cut.idle(0), "someone is on it");

            cut.accept(alice, "a1", a.insert(0, "x"));
            cut.leave(alice);
            assertFalse(cut.idle(0), "her delta is not published");
            assertFalse(cut.allLogged());
            publishAll(cut);
            assertFalse(cut.idle(0), "her delta is not back from the log");
            assertFalse(cut.allLogged());
            readLog(cut);
            assertTrue(cut.idle(0));
            assertTrue(cut.allLogged());
        }
    }

    @Nested
    class ClientsAndSubscribers {

        /** A subscriber that leaves while it is sent to, as a closing socket does. */
        @Test
        void aSubscriberLeavingDuringDeliveryDoesNotStopTheOthersGettingTheRecord() {
            Recorder alice = joinedAt(1);
            Recorder leaving = new Recorder(2) {
                @Override
                public void deliver(AcceptedDelta delta) {
                    super.deliver(delta);
                    cut.leave(this);
                }
            };
            cut.join(leaving, cut.version(), 0);
            Recorder carol = joinedAt(3);

            Replica a = new Replica(1);
            cut.accept(alice, "a1", a.insert(0, "x"));
            cut.accept(alice, "a2", a.insert(1, "y"));
            commit();

            assertEquals(List.of(new Acked("a1", 1), new Acked("a2", 2)), alice.events);
            assertEquals(2, carol.events.size(), carol.events::toString);
            assertEquals(2, leaving.events.size(), "joined, then the first delta; then it had left");
        }
    }

    @Nested
    class TwoNodes {

        final LiveDocument other = LiveDocument.restore(ID, NEW, List.of(), 100);

        @Test
        void theOriginsNodeAcksItAndEveryNodeDeliversTheSameVersion() {
            Recorder alice = joinedAt(1);
            Recorder carol = joinedAt(3);
            Recorder bob = joined(other, 2);
            Delta typed = new Replica(1).insert(0, "hi");
            cut.accept(alice, "a1", typed);
            publishAll(cut);

            readLog(other);
            assertEquals("hi", other.text(), "the other node read it first");
            assertEquals("", cut.text(), "this one has not read it yet");
            readLog(cut);
            AcceptedDelta v1 = new AcceptedDelta(1, "a1", 1, typed, 0);
            assertEquals(List.of(new Acked("a1", 1)), alice.events);
            assertEquals(List.of(new Delivered(v1)), carol.events);
            assertEquals(List.of(new Delivered(v1)), bob.events);
        }

        @Test
        void aResendOnAnotherNodeBeforeTheFirstRecordIsBackIsAckedWithTheFirstVersion() {
            Recorder alice = joinedAt(1);
            Recorder bob = joined(other, 2);
            Replica a = new Replica(1);
            Delta typed = a.insert(0, "ab");
            cut.accept(alice, "a1", typed);
            publishAll(cut);
            cut.leave(alice);

            Recorder aliceThere = new Recorder(1);
            other.join(aliceThere, 0, 0);
            aliceThere.drain();
            assertTrue(other.accept(aliceThere, "a1", typed), "the other node has not read it");
            assertFalse(other.accept(aliceThere, "a2", a.delete(0, 1)), "and she may delete what she typed");
            publishAll(other);

            List<AcceptedDelta> here = readLog(cut);
            List<AcceptedDelta> there = readLog(other);
            assertEquals(here, there);
            assertEquals(List.of(1L, 2L), versions(here), "a1 once, then a2");
            assertEquals(List.of(new Acked("a1", 1), new Acked("a2", 2)), aliceThere.events);
            assertEquals(List.of(), alice.events, "she left this node");
            assertEquals(List.of(new Delivered(here.get(0)), new Delivered(here.get(1))), bob.events);
            assertEquals("b", cut.text());
            assertEquals("b", other.text());
        }

        /**
         * Alice's "x" is acknowledged by node A at version 1; she deletes it while her connection
         * drops, and joins node B, which has not read that record yet, giving version 1. Her
         * delete is a legitimate edit and must not be refused; whichever way node B brings her up
         * to date, the delete ends up in the log and every node ends with "".
         */
        @Test
        void aClientComingFromANodeFurtherAlongTheLogKeepsItsEdits() {
            Recorder alice = joinedAt(1);
            Replica a = new Replica(1);
            cut.accept(alice, "a1", a.insert(0, "x"));
            publishAll(cut);
            readLog(cut);
            assertEquals(List.of(new Acked("a1", 1)), alice.drain());
            Delta deleteX = a.delete(0, 1);
            cut.leave(alice);

            Recorder aliceOnB = new Recorder(1);
            other.join(aliceOnB, 1, TimeUnit.SECONDS.toNanos(5));
            boolean sent = false;
            if (!aliceOnB.events.isEmpty()) { // joined: she resends what was not acknowledged
                Joined joined = (Joined) aliceOnB.events.get(0);
                assertDoesNotThrow(
                        () -> other.accept(aliceOnB, "a2", deleteX),
                        "node B (version " + other.version() + ") told her she joined at version "
                                + joined.version() + (joined.snapshot() == null ? "" : " with a snapshot")
                                + ", then refused her delete of x");
                sent = true;
            }
            readLog(other);
            if (!sent) {
                assertFalse(aliceOnB.events.isEmpty(), "joined once node B caught up");
                other.accept(aliceOnB, "a2", deleteX);
            }
            publishAll(other);
            readLog(cut);
            readLog(other);
            assertEquals("", other.text());
            assertEquals("", cut.text());
        }
    }

    // ------------------------------------------------------------------------------------------
    // Seeded random sessions: two nodes reading one log

    static LongStream seeds() {
        return LongStream.range(0, 40);
    }

    /**
     * 3 to 5 clients on two nodes edit concurrently, send their deltas in order, resend some (same
     * opId or same operations under a new one), disconnect and rejoin (catching up or from a
     * snapshot, on the same node or on the other when it has caught up with them). Each node
     * publishes batches and reads the log at its own pace; the log holds republished records, and
     * nodes are fed records again and old records replayed. A spare node is restored now and then
     * from a snapshot of either node plus the log after it. After every record every node that read
     * it has the same text and version, every version is the same delta wherever it is delivered,
     * and every subscriber gets every version once, in order. At quiescence every replica is equal.
     */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void nodesReadingTheSameLogAgreeAndEveryReplicaEndsEqual(long seed) {
        Cluster cluster = new Cluster(seed);
        cluster.run(1000);
        cluster.settle();
        cluster.assertEveryReplicaEqual();
    }

    /** The nodes, the clients and the log of one random session, stepped by hand. */
    static final class Cluster {
        final long seed;
        final Random random;
        final Log log;
        final int catchUpLimit;
        /** What every node starts from: a new document, or a snapshot of some earlier text. */
        final StoredState initial;

        final List<Node> nodes = new ArrayList<>();
        final List<Client> clients = new ArrayList<>();
        Node spare;

        /** Text and version after each record, by offset, as the first node to read it had them. */
        final Map<Long, String> stateAfter = new HashMap<>();

        /** Every version as first delivered by any node. */
        final Map<Long, AcceptedDelta> versions = new HashMap<>();

        /** Calls made to any subscriber. */
        long events;

        int forged;

        Cluster(long seed) {
            this.seed = seed;
            random = new Random(seed);
            log = new Log(random);
            catchUpLimit = 2 + random.nextInt(30);
            if (random.nextBoolean()) {
                Replica earlier = new Replica(99);
                earlier.insert(0, "written before");
                earlier.delete(2, 3);
                initial = new StoredState(SnapshotCodec.encode(earlier), 7, 41);
                log.skipTo(42);
            } else {
                initial = NEW;
            }
            nodes.add(new Node(this, "A", LiveDocument.restore(ID, initial, List.of(), catchUpLimit), 0));
            nodes.add(new Node(this, "B", LiveDocument.restore(ID, initial, List.of(), catchUpLimit), 0));
            spare = new Node(this, "spare", LiveDocument.restore(ID, initial, List.of(), catchUpLimit), 0);
            int clientCount = 3 + random.nextInt(3);
            for (int site = 1; site <= clientCount; site++) {
                Client client = new Client(this, site, nodes.get(random.nextInt(nodes.size())));
                clients.add(client);
                if (random.nextBoolean()) {
                    client.connect(client.node);
                }
            }
        }

        String at(String what) {
            return "seed " + seed + ": " + what;
        }

        List<Node> allNodes() {
            return List.of(nodes.get(0), nodes.get(1), spare);
        }

        <T> T any(List<T> from) {
            return from.get(random.nextInt(from.size()));
        }

        void run(int steps) {
            for (int step = 0; step < steps; step++) {
                Client client = any(clients);
                int action = random.nextInt(100);
                if (action < 22) {
                    client.edit();
                } else if (action < 40) {
                    client.sendNext();
                } else if (action < 45) {
                    client.resend();
                } else if (action < 57) {
                    any(nodes).publishStep();
                } else if (action < 72) {
                    any(allNodes()).readNext();
                } else if (action < 75) {
                    any(allNodes()).replayOld();
                } else if (action < 77) {
                    republish();
                } else if (action < 78) {
                    forge();
                } else if (action < 79) {
                    restoreSpare();
                } else if (action < 94) {
                    client.process(1 + random.nextInt(4));
                } else if (action < 97) {
                    client.disconnect();
                } else {
                    Node other = any(nodes);
                    // Only to a node that has read as far as the client: see
                    // TwoNodes.aClientComingFromANodeFurtherAlongTheLogKeepsItsEdits.
                    client.connect(other.document.version() >= client.version ? other : client.node);
                }
            }
        }

        /** A record again, or some of its deltas, at a new offset: a producer's retry. */
        void republish() {
            List<LoggedBatch> withDeltas =
                    log.records.stream().filter(r -> !r.deltas().isEmpty()).toList();
            if (!withDeltas.isEmpty()) {
                List<SubmittedDelta> deltas = any(withDeltas).deltas();
                int from = random.nextInt(deltas.size());
                log.append(deltas.subList(from, from + 1 + random.nextInt(deltas.size() - from)));
            }
        }

        /** A record no node would publish: a logged identifier with another character. */
        void forge() {
            List<Insert> logged = versions.values().stream()
                    .flatMap(d -> d.delta().operations().stream())
                    .filter(Insert.class::isInstance)
                    .map(Insert.class::cast)
                    .toList();
            if (!logged.isEmpty()) {
                Insert insert = any(logged);
                int other = insert.codePoint() == 'Q' ? 'R' : 'Q';
                log.append(List.of(new SubmittedDelta(
                        "forged-" + forged++, insert.id().site(), Delta.of(new Insert(insert.id(), other)))));
            }
        }

        /** The spare node reloads: from the initial state, or a snapshot of a node, plus the log. */
        void restoreSpare() {
            StoredState stored = initial;
            if (random.nextInt(3) > 0) {
                Snapshot snapshot = any(allNodes()).document.snapshot();
                stored = new StoredState(snapshot.bytes(), snapshot.version(), snapshot.logOffset());
            }
            // A reader may hand over records the snapshot covers: they are skipped.
            List<LoggedBatch> after = random.nextBoolean() ? log.after(stored.logOffset()) : List.copyOf(log.records);
            spare = new Node(this, "spare", LiveDocument.restore(ID, stored, after, catchUpLimit), log.records.size());
            if (!log.records.isEmpty()) {
                checkStateAfter(spare, log.last());
            }
        }

        void checkStateAfter(Node node, LoggedBatch record) {
            assertEquals(record.offset(), node.document.logOffset(), at(node.name + " read up to this record"));
            String state = node.document.version() + " \"" + node.document.text() + "\"";
            String first = stateAfter.putIfAbsent(record.offset(), state);
            if (first != null) {
                assertEquals(first, state, at(node.name + ": version and text after the record at " + record.offset()));
            }
        }

        void checkDelivered(String to, AcceptedDelta delta) {
            AcceptedDelta first = versions.putIfAbsent(delta.version(), delta);
            if (first != null) {
                assertEquals(first, delta, at("version " + delta.version() + " as delivered to " + to));
            }
        }

        void settle() {
            for (int round = 0; round < 50 && !quiet(); round++) {
                for (Client client : clients) {
                    client.connect(client.node);
                    while (!client.outbox.isEmpty()) {
                        client.sendNext();
                    }
                }
                for (Node node : nodes) {
                    while (node.publishing) {
                        node.publishStep();
                    }
                }
                for (Node node : allNodes()) {
                    while (node.readNext()) {}
                }
                for (Client client : clients) {
                    client.process(Integer.MAX_VALUE);
                }
            }
            assertTrue(quiet(), at("every delta acknowledged"));
        }

        boolean quiet() {
            return nodes.stream().noneMatch(n -> n.publishing)
                    && allNodes().stream().allMatch(n -> n.read == log.records.size())
                    && clients.stream()
                            .allMatch(c -> c.connection != null
                                    && c.outbox.isEmpty()
                                    && c.unacked.isEmpty()
                                    && c.inbox.isEmpty());
        }

        void assertEveryReplicaEqual() {
            LiveDocument reference = nodes.get(0).document;
            for (Node node : allNodes()) {
                assertEquals(reference.text(), node.document.text(), at("text of node " + node.name));
                assertEquals(reference.version(), node.document.version(), at("version of node " + node.name));
                assertEquals(reference.logOffset(), node.document.logOffset(), at("offset of node " + node.name));
                assertEquals(reference.version(), node.observer.version, at("observer of node " + node.name));
                assertTrue(node.document.allLogged(), at("node " + node.name + " has nothing on its way"));
            }
            long first = initial.snapshotVersion() + 1;
            assertEquals(
                    LongStream.rangeClosed(first, reference.version()).boxed().toList(),
                    versions.keySet().stream().sorted().toList(),
                    at("every version delivered"));
            Replica fromVersions = initial.snapshot() == null
                    ? new Replica(WATCHER_SITE)
                    : SnapshotCodec.decode(initial.snapshot(), WATCHER_SITE, 0);
            LongStream.rangeClosed(first, reference.version())
                    .forEach(v -> fromVersions.apply(versions.get(v).delta()));
            assertEquals(reference.text(), fromVersions.text(), at("the versions in order make the text"));
            for (Client client : clients) {
                assertEquals(reference.text(), client.replica.text(), at("text of site " + client.site));
                assertEquals(reference.version(), client.version, at("version of site " + client.site));
            }
        }
    }

    /** One node's document, its group commit, how far it read the log, and a watching subscriber. */
    static final class Node {
        final Cluster cluster;
        final String name;
        final LiveDocument document;
        final Observer observer;
        int read;
        boolean publishing;
        List<SubmittedDelta> batch;

        Node(Cluster cluster, String name, LiveDocument document, int read) {
            this.cluster = cluster;
            this.name = name;
            this.document = document;
            this.read = read;
            this.observer = new Observer(cluster, name);
            document.join(observer, document.version(), 0);
        }

        void accept(Connection origin, String opId, Delta delta) {
            String text = document.text();
            long version = document.version();
            boolean start;
            try {
                start = document.accept(origin, opId, delta);
            } catch (RefusedDeltaException e) {
                throw new AssertionError(
                        cluster.at(name + " refused " + opId + " of site " + origin.site() + ": " + e.getMessage()), e);
            }
            assertEquals(text, document.text(), cluster.at("accepting changes no text"));
            assertEquals(version, document.version(), cluster.at("accepting makes no version"));
            if (start) {
                assertFalse(publishing, cluster.at("publishing starts only when none is under way"));
                publishing = true;
            } else if (!publishing) {
                assertEquals(List.of(), document.nextBatch(), cluster.at("nothing queued without publishing"));
            }
        }

        /** Takes the next batch, or publishes the batch taken. */
        void publishStep() {
            if (!publishing) {
                return;
            }
            if (batch == null) {
                batch = document.nextBatch();
                if (batch.isEmpty()) {
                    publishing = false;
                    batch = null;
                }
            } else {
                document.published(batch);
                cluster.log.append(batch);
                batch = null;
            }
        }

        boolean readNext() {
            if (read == cluster.log.records.size()) {
                return false;
            }
            LoggedBatch record = cluster.log.records.get(read++);
            if (document.logged(record)) {
                assertFalse(publishing, cluster.at("the next round starts only when none is under way"));
                publishing = true;
            }
            cluster.checkStateAfter(this, record);
            return true;
        }

        /** The last record again, or an older one: a consumer that rewound. */
        void replayOld() {
            if (read == 0) {
                return;
            }
            LoggedBatch old = cluster.log.records.get(read - 1 - cluster.random.nextInt(Math.min(read, 5)));
            String text = document.text();
            long version = document.version();
            long offset = document.logOffset();
            long events = cluster.events;
            document.logged(old);
            assertEquals(text, document.text(), cluster.at(name + ": a replay changes no text"));
            assertEquals(version, document.version(), cluster.at(name + ": a replay makes no version"));
            assertEquals(offset, document.logOffset(), cluster.at(name + ": a replay does not move back"));
            assertEquals(events, cluster.events, cluster.at(name + ": a replay delivers and acks nothing"));
        }
    }

    /** A subscriber that never sends: it must get every version, once, in order. */
    static final class Observer implements DeltaSubscriber {
        final Cluster cluster;
        final String node;
        long version = -1;

        Observer(Cluster cluster, String node) {
            this.cluster = cluster;
            this.node = node;
        }

        @Override
        public int site() {
            return WATCHER_SITE;
        }

        @Override
        public String userId() {
            return "watcher";
        }

        @Override
        public void joined(long version, byte[] snapshot) {
            cluster.events++;
            assertNull(snapshot, cluster.at("the observer joins at the node's version"));
            this.version = version;
        }

        @Override
        public void deliver(AcceptedDelta delta) {
            cluster.events++;
            assertEquals(version + 1, delta.version(), cluster.at("observer of " + node + ": versions without gaps"));
            version = delta.version();
            cluster.checkDelivered("the observer of " + node, delta);
        }

        @Override
        public void acknowledged(String opId, long version) {
            fail(cluster.at("the observer of " + node + " sent nothing, but got an ack of " + opId));
        }

        @Override
        public void refused(String opId, String code, String message) {
            fail(cluster.at("the observer of " + node + " sent nothing, but got a refusal of " + opId));
        }

        @Override
        public void closed(Closure reason) {
            fail(cluster.at("observer of " + node + " closed: " + reason));
        }
    }

    /** One connection of a client to a node: what the node sees as a subscriber. */
    static final class Connection implements DeltaSubscriber {
        final Client client;
        final String node;

        Connection(Client client, String node) {
            this.client = client;
            this.node = node;
        }

        @Override
        public int site() {
            return client.site;
        }

        @Override
        public String userId() {
            return null; // the fuzzed cluster compares batches with deltas that name no user
        }

        private void receive(Object event) {
            client.cluster.events++;
            if (client.connection != this) {
                fail(client.cluster.at(
                        "site " + client.site + " left node " + node + " but was sent " + event + " there"));
            }
            client.inbox.add(event);
        }

        @Override
        public void joined(long version, byte[] snapshot) {
            receive(new Joined(version, snapshot));
        }

        @Override
        public void deliver(AcceptedDelta delta) {
            client.cluster.checkDelivered("site " + client.site + " on " + node, delta);
            receive(new Delivered(delta));
        }

        @Override
        public void acknowledged(String opId, long version) {
            receive(new Acked(opId, version));
        }

        @Override
        public void refused(String opId, String code, String message) {
            fail(client.cluster.at("site " + client.site + ": " + opId + " refused: " + code));
        }

        @Override
        public void closed(Closure reason) {
            fail(client.cluster.at("site " + client.site + " closed: " + reason));
        }
    }

    /**
     * A client as docs/protocol.md and the browser's session have it: its replica, the last
     * version it processed, what it has not sent or not seen acknowledged, and what it was sent.
     */
    static final class Client {
        final Cluster cluster;
        final int site;
        Node node;
        Connection connection;
        Replica replica;
        long version = -1;
        int nextOp;
        final ArrayDeque<Object> inbox = new ArrayDeque<>();
        final ArrayDeque<String> outbox = new ArrayDeque<>();
        final Map<String, Delta> unacked = new LinkedHashMap<>();
        final Map<String, Delta> all = new LinkedHashMap<>();
        /** Sent on this connection: what may be resent at any time. */
        final List<String> sentHere = new ArrayList<>();

        Client(Cluster cluster, int site, Node node) {
            this.cluster = cluster;
            this.site = site;
            this.node = node;
            this.replica = new Replica(site);
        }

        void connect(Node to) {
            if (connection != null) {
                return;
            }
            node = to;
            connection = new Connection(this, to.name);
            outbox.clear();
            outbox.addAll(unacked.keySet());
            sentHere.clear();
            node.document.join(connection, version, 0);
        }

        void disconnect() {
            if (connection == null) {
                return;
            }
            node.document.leave(connection);
            connection = null;
            inbox.clear();
        }

        void edit() {
            Delta delta = randomEdit(replica, cluster.random);
            String opId = site + "-" + nextOp++;
            unacked.put(opId, delta);
            all.put(opId, delta);
            outbox.add(opId);
        }

        void sendNext() {
            if (connection != null && !outbox.isEmpty()) {
                String opId = outbox.removeFirst();
                sentHere.add(opId);
                node.accept(connection, opId, all.get(opId));
            }
        }

        /** The same opId again, or the same operations under a new one. */
        void resend() {
            if (connection != null && !sentHere.isEmpty()) {
                String opId = cluster.any(sentHere);
                String resentAs = cluster.random.nextBoolean() ? opId : site + "-again-" + nextOp++;
                node.accept(connection, resentAs, all.get(opId));
            }
        }

        /**
         * The edits not acknowledged yet go on top of a snapshot again, as document-session.js
         * puts them, but for the inserts the log already had: absent from the snapshot, they were
         * deleted since, and the server no longer remembers their deletes (docs/lseq.md).
         */
        void reapply(Collection<Delta> pending) {
            reapplyOnSnapshot(replica, pending);
        }

        /** Handles events as document-session.js does, failing where it would see a gap. */
        void process(int count) {
            for (int i = 0; i < count && !inbox.isEmpty(); i++) {
                Object event = inbox.removeFirst();
                if (event instanceof Joined joined) {
                    if (joined.snapshot() != null) {
                        replica = SnapshotCodec.decode(joined.snapshot(), site, replica.nextCounter());
                        reapply(unacked.values());
                    } else {
                        assertEquals(version, joined.version(), cluster.at("site " + site + " caught up from"));
                    }
                    version = joined.version();
                } else if (event instanceof Delivered delivered) {
                    long v = delivered.delta().version();
                    if (v > version) {
                        assertEquals(version + 1, v, cluster.at("site " + site + ": delta after a gap"));
                        replica.apply(delivered.delta().delta());
                        version = v;
                    }
                } else if (event instanceof Acked acked) {
                    unacked.remove(acked.opId());
                    if (acked.version() > version) {
                        assertEquals(version + 1, acked.version(), cluster.at("site " + site + ": ack after a gap"));
                        version = acked.version();
                    }
                }
            }
        }
    }

    static Delta randomEdit(Replica replica, Random random) {
        int length = replica.length();
        if (length > 0 && random.nextInt(3) == 0) {
            int index = random.nextInt(length);
            return replica.delete(index, 1 + random.nextInt(Math.min(4, length - index)));
        }
        StringBuilder text = new StringBuilder();
        for (int i = 1 + random.nextInt(4); i > 0; i--) {
            text.appendCodePoint(random.nextInt(20) == 0 ? 0x1F600 + random.nextInt(50) : 'a' + random.nextInt(26));
        }
        return replica.insert(random.nextInt(length + 1), text.toString());
    }

    /**
     * The document forgets every delete once its record is applied: the log brings each site's
     * inserts in counter order, so the highest counter received per site tells a repeat of a
     * deleted insert from a new one (docs/lseq.md, "Forgetting deletes"). Memory and snapshots no
     * longer grow with deletes, and nobody can tell the difference.
     */
    @Nested
    class ForgettingDeletes {

        final Recorder alice = joinedAt(1);
        final Recorder bob = joinedAt(2);
        final Replica a = new Replica(1);
        final Replica b = new Replica(2);

        @Test
        void typingAndDeletingLeavesNoDeleteMemoryInTheDocumentOrItsSnapshot() {
            for (int i = 0; i < 500; i++) {
                cut.accept(alice, "a" + i, a.insert(0, "word "));
                commit();
                cut.accept(alice, "d" + i, a.delete(0, 5));
                commit();
            }
            assertEquals("", cut.text());
            Replica stored = SnapshotCodec.decode(cut.snapshot().bytes(), LiveDocument.SERVER_SITE, 0);
            assertEquals(0, stored.tombstoneCount(), "deletes kept in the snapshot");
            assertTrue(cut.snapshot().bytes().length < 100, cut.snapshot().bytes().length + " bytes for an empty text");
            assertEquals(5 * 500 - 1, stored.highestCounter(1), "the highest counter received from site 1");
        }

        /**
         * Alice's ack was lost with her connection; Bob deleted what she typed; many edits later
         * (beyond the catch-up window) she comes back, gets a snapshot that has neither the
         * character nor any memory of its delete, puts her unacknowledged edit on top, and resends
         * it. Nothing comes back to life, anywhere.
         */
        @Test
        void aClientReturningAfterTheDeleteIsForgottenConverges() {
            cut = LiveDocument.restore(ID, NEW, List.of(), 3);
            Recorder alice = joinedAt(1);
            Recorder bob = joinedAt(2);
            Delta typed = a.insert(0, "x");
            cut.accept(alice, "a1", typed);
            cut.leave(alice); // the ack will not reach her
            commit();
            bob.applyDeliveries(b);
            cut.accept(bob, "b1", b.delete(0, 1));
            for (int i = 0; i < 5; i++) {
                cut.accept(bob, "b-more-" + i, b.insert(b.length(), "y"));
            }
            commit();
            bob.drain();

            Recorder back = new Recorder(1);
            cut.join(back, 0, 0);
            Joined joined = back.onlyJoined();
            assertNotNull(joined.snapshot(), "beyond the catch-up window: a snapshot");
            back.drain();
            Replica returning = SnapshotCodec.decode(joined.snapshot(), 1, a.nextCounter());
            reapplyOnSnapshot(returning, List.of(typed));
            assertEquals("yyyyy", returning.text(), "her copy after the join");
            cut.accept(back, "a1", typed);
            commit();

            assertEquals("yyyyy", cut.text());
            assertEquals(
                    List.of(new Acked("a1", 0)),
                    back.events.stream().filter(Acked.class::isInstance).toList());
            assertEquals(List.of(), bob.deliveries(), "nothing came back to Bob");
        }

        @Test
        void aSecondDeleteOfACharacterDeletedLongAgoIsAcknowledgedAndChangesNothing() {
            cut.accept(alice, "a1", a.insert(0, "xy"));
            commit();
            bob.applyDeliveries(b);
            Delta bobDeletes = b.delete(0, 1);
            cut.accept(alice, "a2", a.delete(0, 1));
            commit();
            long version = cut.version();
            alice.drain();
            bob.drain();

            cut.accept(bob, "b1", bobDeletes);
            commit();
            assertEquals(List.of(new Acked("b1", 0)), bob.drain());
            assertEquals("y", cut.text());
            assertEquals(version, cut.version());
        }

        /**
         * A record that repeats an insert deleted since (a producer's retry, or the same delta
         * published by two nodes) is skipped alike by a node that read the whole log and by one
         * restored from a snapshot that remembers no delete.
         */
        @Test
        void aLateRepeatOfADeletedInsertIsSkippedByARunningAndARestoredNode() {
            Delta typed = a.insert(0, "xz");
            log.append(List.of(new SubmittedDelta("a1", 1, typed)));
            log.append(List.of(new SubmittedDelta("a2", 1, a.delete(0, 1))));
            readLog(cut);
            Snapshot snapshot = cut.snapshot();
            LiveDocument restored = LiveDocument.restore(
                    ID, new StoredState(snapshot.bytes(), snapshot.version(), snapshot.logOffset()), List.of(), 100);

            log.append(List.of(new SubmittedDelta("a1-again", 1, typed)));
            readLog(cut);
            readLog(restored);

            assertEquals("z", cut.text());
            assertEquals(cut.text(), restored.text());
            assertEquals(cut.version(), restored.version());
        }

        @Test
        void aForgedInsertUnderTheCounterOfAPresentCharacterIsStillRefused() {
            cut.accept(alice, "a1", a.insert(0, "ab"));
            cut.accept(alice, "a2", a.delete(1, 1));
            commit();
            alice.drain();
            Delta forged = Delta.of(new Insert(sameCounterElsewhere(a.identifierAt(0)), 'q'));
            RefusedDeltaException refused =
                    assertThrows(RefusedDeltaException.class, () -> cut.accept(alice, "bad", forged));
            assertTrue(refused.getMessage().contains("reuses counter"), refused.getMessage());
            assertEquals(List.of(), cut.nextBatch());
            assertEquals("a", cut.text());
        }
    }

    @Nested
    class SizeLimit {

        @Test
        void insertsBeyondTheLimitAreRefusedCountingThoseStillOnTheirWayThroughTheLog() {
            Recorder alice = joinedAt(5);
            Replica typed = new Replica(5);
            assertTrue(cut.accept(alice, "a-1", typed.insert(0, "0123456789"), 15));
            // Typed on a copy, so that the refused characters never enter the client's own text.
            Replica copy = new Replica(5, typed.nextCounter(), LseqParameters.DEFAULT);
            copy.apply(new dev.folio.lseq.Delta(typed.identifiers().stream()
                    .map(id -> (dev.folio.lseq.Operation) new dev.folio.lseq.Operation.Insert(id, "x".codePointAt(0)))
                    .toList()));
            RefusedDeltaException whileInFlight = assertThrows(
                    RefusedDeltaException.class, () -> cut.accept(alice, "a-2", copy.insert(10, "abcdef"), 15));
            assertEquals("document-too-large", whileInFlight.code());
            commit();
            assertEquals("0123456789", cut.text(), "the refused delta changed nothing");
            RefusedDeltaException once = assertThrows(
                    RefusedDeltaException.class, () -> cut.accept(alice, "a-3", copy.insert(10, "ghijkl"), 15));
            assertEquals("document-too-large", once.code());

            assertDoesNotThrow(() -> cut.accept(alice, "a-4", typed.delete(0, 5), 15), "deletes are always taken");
            assertDoesNotThrow(() -> cut.accept(alice, "a-5", typed.insert(5, "xyz"), 15), "and make room");
            commit();
            assertEquals("56789xyz", cut.text());
        }
    }

    /**
     * A delta must fit one item of the DynamoDB event log, and a batch one Kafka record ({@link
     * LogLimits}): a store refuses anything larger, and its deltas never come back from the log.
     */
    @Nested
    class StoreLimits {

        final Recorder alice = joinedAt(1);

        /** How many of the first {@code ops} fit the event log in one delta. */
        int howManyFit(List<Operation> ops) {
            int fit = 0;
            int tooMany = ops.size();
            while (tooMany - fit > 1) {
                int tried = (fit + tooMany) / 2;
                if (LogLimits.jsonBytes(new Delta(ops.subList(0, tried))) <= LogLimits.MAX_DELTA_JSON_BYTES) {
                    fit = tried;
                } else {
                    tooMany = tried;
                }
            }
            return fit;
        }

        @Test
        void aDeltaWhoseJsonJustFitsTheEventLogIsTakenAndOneOperationMoreIsRefused() {
            List<Operation> typed = new Replica(1).insert(0, "x".repeat(6_000)).operations();
            int fit = howManyFit(typed);
            Delta justUnder = new Delta(typed.subList(0, fit));
            Delta justOver = new Delta(typed.subList(0, fit + 1));
            assertTrue(LogLimits.jsonBytes(justOver) > LogLimits.MAX_DELTA_JSON_BYTES, "6,000 characters do not fit");

            RefusedDeltaException refused =
                    assertThrows(RefusedDeltaException.class, () -> cut.accept(alice, "a1", justOver));
            assertEquals("delta-too-large", refused.code(), refused.getMessage());
            assertEquals(List.of(), cut.nextBatch(), "nothing waits");
            assertTrue(cut.allLogged());
            assertEquals(List.of(), alice.events);

            assertTrue(cut.accept(alice, "a1", justUnder), "the refused delta left no counter or opId behind");
            List<SubmittedDelta> batch = cut.nextBatch();
            assertEquals(List.of(new SubmittedDelta("a1", 1, justUnder)), batch);
            assertTrue(DeltaBatchCodec.encode(batch).length <= LogLimits.MAX_RECORD_BYTES, "and it fits a record");
            commit();
            assertEquals(fit, cut.length());
            assertEquals(List.of(new Acked("a1", 1)), alice.events);
        }

        @Test
        void largeDeltasGoInRecordsUnderKafkasLimitInTheOrderAccepted() {
            Random random = new Random(7);
            Replica a = new Replica(1);
            List<String> accepted = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                List<Operation> ops = new ArrayList<>();
                for (int j = 0; j < 3_000; j++) { // typed all over the text: few shared prefixes
                    ops.addAll(a.insert(random.nextInt(a.length() + 1), "z").operations());
                }
                cut.accept(alice, "a" + i, new Delta(ops));
                accepted.add("a" + i);
            }

            List<String> published = new ArrayList<>();
            List<LoggedBatch> records = publishAll(cut);
            for (LoggedBatch record : records) {
                int bytes = DeltaBatchCodec.encode(record.deltas()).length;
                assertTrue(bytes <= LogLimits.MAX_RECORD_BYTES, bytes + " bytes in one record");
                record.deltas().forEach(delta -> published.add(delta.opId()));
            }
            assertTrue(records.size() >= 3, records.size() + " records");
            assertEquals(accepted, published);
            readLog(cut);
            assertEquals(a.text(), cut.text());
        }
    }
}
