package dev.folio.document;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.folio.document.DeltaSubscriber.Closure;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The server side of one open document: deltas are acknowledged and forwarded only once stored, in
 * version order; resends are recognised; inserts must be the sender's own; joining clients catch
 * up; a restored document carries on where it was; and clients that apply what they are sent end
 * with the server's text.
 */
class LiveDocumentTest {

    static final UUID ID = UUID.fromString("00000000-0000-0000-0000-00000000f011");

    LiveDocument cut = LiveDocument.restore(ID, null, 0, List.of(), 100);

    /** What the document told one subscriber, in order. */
    record Joined(long version, byte[] snapshot) {}

    record Delivered(AcceptedDelta delta) {}

    record Acked(String opId, long version) {}

    record Closed(Closure reason) {}

    /** The observer the document talks to: records every call, in order. */
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

        Joined onlyJoined() {
            assertEquals(1, events.size(), events::toString);
            return (Joined) events.get(0);
        }

        List<Object> drain() {
            List<Object> drained = List.copyOf(events);
            events.clear();
            return drained;
        }

        /** Applies the deliveries to {@code replica}, then forgets them. */
        void applyDeliveries(Replica replica) {
            for (Object event : drain()) {
                if (event instanceof Delivered delivered) {
                    replica.apply(delivered.delta().delta());
                }
            }
        }
    }

    /** A subscriber that joined a new document and has been told so. */
    Recorder joinedAt(int site) {
        Recorder recorder = new Recorder(site);
        cut.join(recorder, cut.version());
        recorder.drain();
        return recorder;
    }

    /** Stores whatever waits, as the group commit does, and returns what it stored. */
    List<AcceptedDelta> storeAll() {
        List<AcceptedDelta> stored = new ArrayList<>();
        for (List<AcceptedDelta> batch = cut.nextBatch(); !batch.isEmpty(); batch = cut.nextBatch()) {
            cut.stored(batch);
            stored.addAll(batch);
        }
        return stored;
    }

    static List<Long> versions(List<AcceptedDelta> deltas) {
        return deltas.stream().map(AcceptedDelta::version).toList();
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
    class GroupCommit {

        @Test
        void acknowledgedAndForwardedOnlyOnceStoredInVersionOrder() {
            Recorder alice = joinedAt(1);
            Recorder bob = joinedAt(2);
            Recorder carol = joinedAt(3);
            Replica a = new Replica(1);
            Replica b = new Replica(2);

            assertTrue(cut.accept(alice, "a1", a.insert(0, "hi")), "the first delta starts the storing");
            assertFalse(cut.accept(alice, "a2", a.insert(2, "!")), "storing is already under way");
            assertEquals("hi!", cut.text());
            assertEquals(2, cut.version());
            assertEquals(0, cut.durableVersion());
            assertEquals(List.of(), alice.events, "nothing acknowledged before it is stored");
            assertEquals(List.of(), bob.events, "nothing forwarded before it is stored");

            List<AcceptedDelta> batch = cut.nextBatch();
            assertEquals(List.of(1L, 2L), versions(batch));
            assertEquals(
                    List.of("a1", "a2"), batch.stream().map(AcceptedDelta::opId).toList());
            assertTrue(batch.stream().allMatch(d -> d.site() == 1));
            assertFalse(cut.accept(alice, "a3", a.insert(3, "?")), "still storing: joins the next batch");
            assertEquals(List.of(), alice.events);
            assertEquals(List.of(), bob.events);

            cut.stored(batch);
            assertEquals(List.of(new Acked("a1", 1), new Acked("a2", 2)), alice.drain());
            assertEquals(List.of(new Delivered(batch.get(0)), new Delivered(batch.get(1))), carol.drain());
            assertEquals(2, cut.durableVersion());

            List<AcceptedDelta> next = cut.nextBatch();
            assertEquals(List.of(3L), versions(next), "only what was not stored yet");
            assertEquals(List.of(), alice.events, "a3 is not stored yet");
            cut.stored(next);
            assertEquals(List.of(new Acked("a3", 3)), alice.drain());
            assertEquals(List.of(new Delivered(next.get(0))), carol.drain());

            assertEquals(List.of(), cut.nextBatch(), "nothing waits: the storing ends");
            assertEquals(3, cut.durableVersion());
            assertTrue(cut.accept(bob, "b1", b.insert(0, ">")), "a new delta starts the storing again");

            // Bob's own delta is not forwarded back to him, and his replica ends with the server's text.
            List<AcceptedDelta> last = storeAll();
            assertEquals(List.of(4L), versions(last));
            assertEquals(
                    List.of(
                            new Delivered(batch.get(0)),
                            new Delivered(batch.get(1)),
                            new Delivered(next.get(0)),
                            new Acked("b1", 4)),
                    bob.events);
            bob.applyDeliveries(b);
            assertEquals(cut.text(), b.text());
            assertEquals(">hi!?", cut.text());
            assertEquals(List.of(new Delivered(last.get(0))), carol.drain());
            assertEquals(List.of(new Delivered(last.get(0))), alice.drain());
        }

        @Test
        void aSubscriberThatLeftIsNoLongerSentDeltas() {
            Recorder alice = joinedAt(1);
            Recorder bob = joinedAt(2);
            cut.leave(bob);
            assertEquals(1, cut.subscriberCount());
            cut.accept(alice, "a1", new Replica(1).insert(0, "x"));
            storeAll();
            assertEquals(List.of(), bob.events);
            assertEquals(List.of(new Acked("a1", 1)), alice.events);
        }

        @Test
        void storeFailedClosesEverySubscriberAsUnavailable() {
            Recorder alice = joinedAt(1);
            Recorder bob = joinedAt(2);
            cut.accept(alice, "a1", new Replica(1).insert(0, "x"));
            cut.nextBatch();
            cut.storeFailed();
            assertEquals(List.of(new Closed(Closure.UNAVAILABLE)), alice.events, "never acknowledged");
            assertEquals(List.of(new Closed(Closure.UNAVAILABLE)), bob.events, "never forwarded");
            assertEquals(0, cut.subscriberCount());
            assertEquals(0, cut.durableVersion());
        }

        @Test
        void closeTellsEverySubscriberWhy() {
            Recorder alice = joinedAt(1);
            cut.close(Closure.DELETED);
            assertEquals(List.of(new Closed(Closure.DELETED)), alice.events);
            assertEquals(0, cut.subscriberCount());
        }
    }

    @Nested
    class Duplicates {

        final Recorder alice = joinedAt(1);
        final Recorder bob = joinedAt(2);
        final Replica a = new Replica(1);

        @Test
        void resentAfterStoredIsAcknowledgedAgainWithItsVersion() {
            Delta typed = a.insert(0, "hello");
            cut.accept(alice, "a1", typed);
            storeAll();
            alice.drain();
            bob.drain();

            assertFalse(cut.accept(alice, "a1", typed));
            assertEquals(List.of(new Acked("a1", 1)), alice.drain(), "acknowledged at once: it is stored");
            assertEquals(1, cut.version());
            assertEquals(List.of(), cut.nextBatch(), "nothing to store");
            assertEquals(List.of(), bob.events, "nothing forwarded");
            assertEquals("hello", cut.text());

            // The same client after a reconnect: a new subscriber, same site.
            Recorder aliceAgain = new Recorder(1);
            cut.join(aliceAgain, 1);
            aliceAgain.drain();
            cut.accept(aliceAgain, "a1", typed);
            assertEquals(List.of(new Acked("a1", 1)), aliceAgain.events);
            assertEquals(1, cut.version());
        }

        @Test
        void resentWhileWaitingIsAcknowledgedOnceStoredWithTheSameVersion() {
            Delta typed = a.insert(0, "hello");
            assertTrue(cut.accept(alice, "a1", typed));
            assertFalse(cut.accept(alice, "a1", typed));
            assertEquals(List.of(), alice.events, "not stored yet");
            assertEquals(1, cut.version());

            List<AcceptedDelta> stored = storeAll();
            assertEquals(List.of(1L), versions(stored), "stored once");
            assertEquals(List.of(new Acked("a1", 1), new Acked("a1", 1)), alice.events);
            assertEquals(List.of(new Delivered(stored.get(0))), bob.events, "forwarded once");
            assertEquals("hello", cut.text());
        }

        @Test
        void sameOperationsUnderANewOpIdAreAcknowledgedWithVersionZero() {
            Delta typed = a.insert(0, "hello");
            cut.accept(alice, "a1", typed);
            storeAll();
            alice.drain();
            bob.drain();

            assertFalse(cut.accept(alice, "a1-again", typed));
            assertEquals(List.of(new Acked("a1-again", 0)), alice.events);
            assertEquals(1, cut.version());
            assertEquals(List.of(), bob.events);
            assertEquals("hello", cut.text());
        }

        @Test
        void aNoChangeAckDoesNotOvertakeTheWaitingDeltaThatMadeItNoChange() {
            Delta typed = a.insert(0, "hello");
            cut.accept(alice, "a1", typed);
            cut.accept(alice, "a1-again", typed);
            assertEquals(List.of(), alice.events, "a1 is not stored yet, so neither is what a1-again holds");
            storeAll();
            assertEquals(List.of(new Acked("a1", 1), new Acked("a1-again", 0)), alice.events);
            assertEquals(1, cut.version());
        }

        @Test
        void onlyTheUnseenPartOfAResentDeltaIsStoredAndForwarded() {
            Delta first = a.insert(0, "ab");
            cut.accept(alice, "a1", first);
            storeAll();
            bob.drain();
            Delta second = a.insert(2, "c");
            List<Operation> both = new ArrayList<>(first.operations());
            both.addAll(second.operations());

            cut.accept(alice, "a1+a2", new Delta(both));
            List<AcceptedDelta> stored = storeAll();
            assertEquals(1, stored.size());
            assertEquals(second, stored.get(0).delta());
            assertEquals(List.of(new Delivered(stored.get(0))), bob.events);
            assertEquals("abc", cut.text());
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
            assertEquals(textBefore, cut.text());
            assertEquals(versionBefore, cut.version());
            assertEquals(List.of(), cut.nextBatch(), "nothing waits to be stored");
            assertEquals(List.of(), alice.events);
            assertEquals(List.of(), bob.events);
        }

        @Test
        void anInsertUnderAnotherSiteIsRefused() {
            cut.accept(alice, "a1", a.insert(0, "alice"));
            storeAll();
            alice.drain();
            bob.drain();
            Replica posingAsAlice = new Replica(1, 100, LseqParameters.DEFAULT);
            assertRefusedChangingNothing(bob, posingAsAlice.insert(0, "x"), "site");

            // Valid own inserts first, so that a half-applied delta would show.
            Replica b = new Replica(2);
            List<Operation> mixed = new ArrayList<>(b.insert(0, "ok").operations());
            mixed.addAll(posingAsAlice.insert(0, "y").operations());
            assertRefusedChangingNothing(bob, new Delta(mixed), "site");
            assertEquals("alice", cut.text());
        }

        @Test
        void aForgedInsertReusingAnUsedCounterIsRefused() {
            cut.accept(alice, "a1", a.insert(0, "a"));
            storeAll();
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
        void aForgedIdentifierHoldingAnotherCharacterIsRefused() {
            cut.accept(alice, "a1", a.insert(0, "a"));
            storeAll();
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
            assertEquals("h", cut.text());
        }

        @Test
        void deletesOfOthersCharactersAreAccepted() {
            cut.accept(alice, "a1", a.insert(0, "abc"));
            storeAll();
            Replica b = new Replica(2);
            bob.applyDeliveries(b);
            cut.accept(bob, "b1", b.delete(1, 1));
            storeAll();
            assertEquals("ac", cut.text());
            assertEquals(b.text(), cut.text());
        }
    }

    @Nested
    class JoinAndCatchUp {

        final List<AcceptedDelta> history = new ArrayList<>();
        final Replica a = new Replica(1);
        Recorder alice;

        /** Five stored versions, one delta each, in a document that keeps the last three. */
        void fiveVersions() {
            cut = LiveDocument.restore(ID, null, 0, List.of(), 3);
            alice = joinedAt(1);
            for (String word : new String[] {"one", " two", " three", " four", " five"}) {
                cut.accept(alice, "a" + history.size(), a.insert(a.length(), word));
                history.addAll(storeAll());
            }
            assertEquals(List.of(1L, 2L, 3L, 4L, 5L), versions(history));
        }

        @Test
        void withinTheWindowGetsTheStoredDeltasAfterItsVersion() {
            fiveVersions();
            Replica b = new Replica(2);
            b.apply(history.get(0).delta());
            b.apply(history.get(1).delta());

            Recorder bob = new Recorder(2);
            cut.join(bob, 2);
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
            List<AcceptedDelta> later = storeAll();
            assertEquals(List.of(new Delivered(later.get(0))), bob.events);
            bob.applyDeliveries(b);
            assertEquals(cut.text(), b.text());
        }

        @Test
        void upToDateGetsNothingMore() {
            fiveVersions();
            Recorder bob = new Recorder(2);
            cut.join(bob, 5);
            assertEquals(List.of(new Joined(5, null)), bob.events);
        }

        @ParameterizedTest(name = "from version {0}")
        @ValueSource(longs = {-1, 0, 1, 6, 99})
        void outsideTheWindowGetsASnapshot(long fromVersion) {
            fiveVersions();
            Recorder bob = new Recorder(2);
            cut.join(bob, fromVersion);
            Joined joined = bob.onlyJoined();
            assertEquals(5, joined.version());
            assertNotNull(joined.snapshot());
            Replica b = SnapshotCodec.decode(joined.snapshot(), 2, 0);
            assertEquals(cut.text(), b.text());
            assertEquals(a.identifiers(), b.identifiers());

            // The snapshot's replica keeps converging with the deltas that follow.
            cut.accept(alice, "a5", a.insert(3, "!"));
            cut.accept(bob, "b1", b.insert(0, "<"));
            storeAll();
            bob.applyDeliveries(b);
            alice.applyDeliveries(a);
            assertEquals(cut.text(), b.text());
            assertEquals(cut.text(), a.text());
            assertEquals("<one! two three four five", cut.text());
        }

        @Test
        void aNewDocumentCatchesUpFromVersionZero() {
            Recorder bob = new Recorder(2);
            cut.join(bob, 0);
            assertEquals(List.of(new Joined(0, null)), bob.events);
        }

        @Test
        void joiningWhileADeltaWaitsGetsItOnceStored() {
            alice = joinedAt(1);
            cut.accept(alice, "a0", a.insert(0, "ab"));
            history.addAll(storeAll());
            cut.accept(alice, "a1", a.insert(2, "c"));

            Replica b = new Replica(2);
            b.apply(history.get(0).delta());
            Recorder bob = new Recorder(2);
            cut.join(bob, 1);
            assertEquals(List.of(new Joined(1, null)), bob.drain(), "version 2 is not stored yet");
            List<AcceptedDelta> stored = storeAll();
            assertEquals(List.of(new Delivered(stored.get(0))), bob.events);
            bob.applyDeliveries(b);
            assertEquals("abc", b.text());
        }
    }

    @Nested
    class Restore {

        @Test
        void aRestoredDocumentCarriesOnFromItsSnapshotAndDeltas() {
            Replica a = new Replica(1);
            a.insert(0, "hello");
            a.delete(0, 1);
            byte[] snapshot = SnapshotCodec.encode(a);
            Delta d3 = a.insert(4, " world");
            Replica b = SnapshotCodec.decode(snapshot, 2, 0);
            b.apply(d3);
            Delta d4 = b.delete(0, 1);
            a.apply(d4);
            List<AcceptedDelta> after = List.of(new AcceptedDelta(3, "op3", 1, d3), new AcceptedDelta(4, "op4", 2, d4));

            cut = LiveDocument.restore(ID, snapshot, 2, after, 100);
            assertEquals("llo world", cut.text());
            assertEquals(a.text(), cut.text());
            assertEquals(4, cut.version());
            assertEquals(4, cut.durableVersion());

            // A resend of a stored delta is recognised.
            Recorder alice = new Recorder(1);
            cut.join(alice, 4);
            alice.drain();
            assertFalse(cut.accept(alice, "op3", d3));
            assertEquals(List.of(new Acked("op3", 3)), alice.drain());
            assertEquals(4, cut.version());

            // Clients catch up from the snapshot's version on.
            Recorder bob = new Recorder(2);
            cut.join(bob, 2);
            assertEquals(
                    List.of(new Joined(2, null), new Delivered(after.get(0)), new Delivered(after.get(1))), bob.events);
            Recorder carol = new Recorder(3);
            cut.join(carol, 1);
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

            // And the document takes new versions after the restored ones.
            assertTrue(cut.accept(alice, "op5", a.insert(0, "he")));
            assertEquals(List.of(5L), versions(storeAll()));
            assertEquals(List.of(new Acked("op5", 5)), alice.events);
            assertEquals("hello world", cut.text());
        }

        @Test
        void aRestoredDocumentKeepsOnlyTheLastDeltasForCatchUp() {
            Replica a = new Replica(1);
            List<AcceptedDelta> after = new ArrayList<>();
            for (int v = 1; v <= 5; v++) {
                after.add(new AcceptedDelta(v, "op" + v, 1, a.insert(a.length(), "v" + v)));
            }
            cut = LiveDocument.restore(ID, null, 0, after, 2);
            assertEquals("v1v2v3v4v5", cut.text());
            assertEquals(5, cut.version());

            Recorder bob = new Recorder(2);
            cut.join(bob, 3);
            assertEquals(
                    List.of(new Joined(3, null), new Delivered(after.get(3)), new Delivered(after.get(4))), bob.events);
            Recorder carol = new Recorder(3);
            cut.join(carol, 2);
            assertEquals(5, carol.onlyJoined().version());
            assertEquals(
                    "v1v2v3v4v5",
                    SnapshotCodec.decode(carol.onlyJoined().snapshot(), 3, 0).text());
        }
    }

    @Nested
    class StoreFailuresAndForgedDeletes {

        /**
         * The snapshot a joining client gets, and the version it is told, never include deltas
         * not stored yet: if storing them fails, the reloaded document hands their versions to
         * other deltas, and a client holding them would skip those.
         */
        @Test
        void aSnapshotWaitsForTheDeltasInItToBeStored() {
            Recorder alice = joinedAt(1);
            Replica a = new Replica(1);
            cut.accept(alice, "a1", a.insert(0, "a"));
            List<AcceptedDelta> inStore = new ArrayList<>(storeAll());
            cut.accept(alice, "a2", a.insert(1, "b"));

            Recorder carol = new Recorder(3);
            cut.join(carol, -1);
            assertTrue(carol.events.isEmpty(), "no snapshot while version 2 is not stored");

            cut.nextBatch();
            cut.storeFailed();
            assertEquals(List.of(new Closed(Closure.UNAVAILABLE)), carol.events);

            cut = LiveDocument.restore(ID, null, 0, inStore, 100);
            Recorder carolAgain = new Recorder(3);
            cut.join(carolAgain, -1);
            Joined joined = carolAgain.onlyJoined();
            assertEquals(1, joined.version());
            assertEquals("a", SnapshotCodec.decode(joined.snapshot(), 3, 0).text());
        }

        @Test
        void aSnapshotJoinIsReleasedOnceItsDeltasAreStored() {
            Recorder alice = joinedAt(1);
            Replica a = new Replica(1);
            cut.accept(alice, "a1", a.insert(0, "a"));
            Recorder carol = new Recorder(3);
            cut.join(carol, -1);
            cut.accept(alice, "a2", a.insert(1, "b"));
            storeAll();

            Joined joined = (Joined) carol.events.get(0);
            assertEquals(1, joined.version());
            Replica c = SnapshotCodec.decode(joined.snapshot(), 3, 0);
            carol.applyDeliveries(c);
            assertEquals("ab", c.text());
        }

        /**
         * A delete is not checked against the inserts the document knows. A client that deletes a
         * (site, counter) another site has not used yet suppresses that site's next character on
         * the server, while the site itself shows it.
         */
        @Test
        void aDeleteOfACharacterNotYetTypedCannotHideIt() {
            Recorder mallory = joinedAt(1);
            Recorder bob = joinedAt(2);
            Replica b = new Replica(2);
            try {
                cut.accept(mallory, "m1", Delta.of(new Delete(Identifier.of(100, 2, 0))));
            } catch (RefusedDeltaException refused) {
                // refusing it is one way to get this right
            }
            storeAll();
            bob.applyDeliveries(b);

            cut.accept(bob, "b1", b.insert(0, "x"));
            storeAll();
            bob.applyDeliveries(b);
            assertEquals(b.text(), cut.text());
        }

        /**
         * A delete naming a known (site, counter) under another identifier records the pair as
         * deleted without removing the character; the real delete of that character is then
         * dropped by the server while the deleting client no longer shows it.
         */
        @Test
        void aForgedDeleteCannotMakeACharacterUndeletable() {
            Recorder mallory = joinedAt(1);
            Recorder bob = joinedAt(2);
            Recorder carol = joinedAt(3);
            Replica b = new Replica(2);
            Replica c = new Replica(3);
            cut.accept(bob, "b1", b.insert(0, "x"));
            storeAll();
            carol.applyDeliveries(c);
            try {
                cut.accept(mallory, "m1", Delta.of(new Delete(sameCounterElsewhere(b.identifierAt(0)))));
            } catch (RefusedDeltaException refused) {
                // refusing it is one way to get this right
            }
            storeAll();
            carol.applyDeliveries(c);
            bob.applyDeliveries(b);

            cut.accept(carol, "c1", c.delete(0, 1));
            storeAll();
            carol.applyDeliveries(c);
            bob.applyDeliveries(b);
            assertEquals("", c.text());
            assertEquals(c.text(), cut.text());
            assertEquals(c.text(), b.text());
        }
    }

    // ------------------------------------------------------------------------------------------
    // Seeded random sessions

    static LongStream seeds() {
        return LongStream.range(0, 20);
    }

    /**
     * 3 to 5 clients edit concurrently, send their deltas in order, resend some (same opId or same
     * operations under a new one), disconnect and rejoin (catching up or from a snapshot), while the
     * group commit stores batches at random points. At quiescence every client has the server's text.
     */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void everyReplicaEndsEqual(long seed) {
        Random random = new Random(seed);
        Session session = new Session(LiveDocument.restore(ID, null, 0, List.of(), 2 + random.nextInt(30)));
        int clientCount = 3 + random.nextInt(3);
        List<Client> clients = new ArrayList<>();
        for (int site = 1; site <= clientCount; site++) {
            Client client = new Client(site);
            clients.add(client);
            if (random.nextBoolean()) {
                client.connect(session.document);
            }
        }

        for (int step = 0; step < 800; step++) {
            Client client = clients.get(random.nextInt(clientCount));
            int action = random.nextInt(100);
            if (action < 25) {
                client.edit(random);
            } else if (action < 45) {
                client.sendNext(session);
            } else if (action < 52) {
                client.resend(session, random);
            } else if (action < 70) {
                session.storeStep();
            } else if (action < 94) {
                client.process(1 + random.nextInt(4));
            } else if (action < 97) {
                client.disconnect(session.document);
            } else {
                client.connect(session.document);
            }
        }

        for (int round = 0; round < 100 && !quiet(session, clients); round++) {
            for (Client client : clients) {
                client.connect(session.document);
                while (!client.outbox.isEmpty()) {
                    client.sendNext(session);
                }
            }
            while (session.storing) {
                session.storeStep();
            }
            for (Client client : clients) {
                client.process(Integer.MAX_VALUE);
            }
        }

        assertTrue(quiet(session, clients), "every delta acknowledged");
        assertEquals(session.document.version(), session.document.durableVersion());
        for (Client client : clients) {
            assertEquals(session.document.text(), client.replica.text(), "text of site " + client.site);
        }
    }

    static boolean quiet(Session session, List<Client> clients) {
        return !session.storing
                && clients.stream()
                        .allMatch(c -> c.connected && c.outbox.isEmpty() && c.unacked.isEmpty() && c.inbox.isEmpty());
    }

    /** The document and its group commit, stepped by hand. */
    static final class Session {
        final LiveDocument document;
        boolean storing;
        List<AcceptedDelta> inFlight;

        Session(LiveDocument document) {
            this.document = document;
        }

        void accept(Client origin, String opId, Delta delta) {
            long versionBefore = document.version();
            boolean start = document.accept(origin, opId, delta);
            boolean newVersion = document.version() > versionBefore;
            assertTrue(document.version() - versionBefore <= 1, "at most one version per delta");
            assertEquals(
                    newVersion && !storing,
                    start,
                    "accept starts the storing exactly when it made a version and none is under way");
            storing |= start;
        }

        /** Takes the next batch, or stores the batch taken. */
        void storeStep() {
            if (!storing) {
                assertEquals(List.of(), document.nextBatch());
            } else if (inFlight == null) {
                inFlight = document.nextBatch();
                if (inFlight.isEmpty()) {
                    storing = false;
                    inFlight = null;
                } else {
                    for (int i = 0; i < inFlight.size(); i++) {
                        assertEquals(
                                document.durableVersion() + 1 + i,
                                inFlight.get(i).version());
                    }
                }
            } else {
                document.stored(inFlight);
                inFlight = null;
            }
        }
    }

    /** A client: its replica, what it has not sent or not seen acknowledged, and what it was sent. */
    static final class Client implements DeltaSubscriber {
        final int site;
        Replica replica;
        boolean connected;
        long lastVersion = -1;
        long lastDelivered;
        int nextOp;
        final ArrayDeque<Object> inbox = new ArrayDeque<>();
        final ArrayDeque<String> outbox = new ArrayDeque<>();
        final Map<String, Delta> unacked = new LinkedHashMap<>();
        final List<String> sent = new ArrayList<>();
        final Map<String, Delta> all = new LinkedHashMap<>();

        Client(int site) {
            this.site = site;
            this.replica = new Replica(site);
        }

        @Override
        public int site() {
            return site;
        }

        @Override
        public void joined(long version, byte[] snapshot) {
            assertTrue(connected);
            inbox.add(new Joined(version, snapshot));
        }

        @Override
        public void deliver(AcceptedDelta delta) {
            assertTrue(connected, "nothing is delivered to a subscriber that left");
            assertTrue(delta.version() > lastDelivered, "deliveries come in version order");
            lastDelivered = delta.version();
            inbox.add(new Delivered(delta));
        }

        @Override
        public void acknowledged(String opId, long version) {
            if (connected) { // an ack to a client that left is lost on the way
                inbox.add(new Acked(opId, version));
            }
        }

        @Override
        public void closed(Closure reason) {
            throw new AssertionError("closed " + reason);
        }

        void connect(LiveDocument document) {
            if (connected) {
                return;
            }
            connected = true;
            lastDelivered = 0;
            outbox.clear();
            outbox.addAll(unacked.keySet());
            document.join(this, lastVersion);
        }

        void disconnect(LiveDocument document) {
            if (!connected) {
                return;
            }
            document.leave(this);
            connected = false;
            inbox.clear();
        }

        void edit(Random random) {
            Delta delta = randomEdit(replica, random);
            String opId = site + "-" + nextOp++;
            unacked.put(opId, delta);
            all.put(opId, delta);
            outbox.add(opId);
        }

        void sendNext(Session session) {
            if (connected && !outbox.isEmpty()) {
                String opId = outbox.removeFirst();
                sent.add(opId);
                session.accept(this, opId, all.get(opId));
            }
        }

        /** The same opId again, or the same operations under a new one. */
        void resend(Session session, Random random) {
            if (connected && !sent.isEmpty()) {
                String opId = sent.get(random.nextInt(sent.size()));
                String resentAs = random.nextBoolean() ? opId : site + "-again-" + nextOp++;
                session.accept(this, resentAs, all.get(opId));
            }
        }

        void process(int count) {
            for (int i = 0; i < count && !inbox.isEmpty(); i++) {
                Object event = inbox.removeFirst();
                if (event instanceof Joined joined) {
                    lastVersion = joined.version();
                    if (joined.snapshot() != null) {
                        replica = SnapshotCodec.decode(joined.snapshot(), site, replica.nextCounter());
                        unacked.values().forEach(replica::apply);
                    }
                } else if (event instanceof Delivered delivered) {
                    replica.apply(delivered.delta().delta());
                    lastVersion = Math.max(lastVersion, delivered.delta().version());
                } else if (event instanceof Acked acked) {
                    unacked.remove(acked.opId());
                    lastVersion = Math.max(lastVersion, acked.version());
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

    /** Found by review. */
    @Nested
    class ClientsAndSubscribers {

        /** protocol.md: an opId is unique per client only; two clients both counting from 1 is fine. */
        @Test
        void twoClientsUsingTheSameOpIdAreBothApplied() {
            Recorder alice = joinedAt(1);
            Recorder bob = joinedAt(2);

            cut.accept(alice, "1", new Replica(1).insert(0, "A"));
            storeAll();
            cut.accept(bob, "1", new Replica(2).insert(0, "B"));
            cut.accept(alice, "2", new Replica(1, 1, LseqParameters.DEFAULT).insert(0, "C"));
            cut.accept(bob, "2", new Replica(2, 1, LseqParameters.DEFAULT).insert(0, "D"));
            storeAll();

            assertEquals(4, cut.version());
            assertEquals(4, cut.length());
            assertTrue(bob.events.containsAll(List.of(new Acked("1", 2), new Acked("2", 4))), bob.events::toString);
        }

        /** A subscriber that leaves while it is sent to, as a closing socket does. */
        @Test
        void aSubscriberLeavingDuringDeliveryDoesNotStopTheOthersGettingTheBatch() {
            Recorder alice = joinedAt(1);
            Recorder leaving = new Recorder(2) {
                @Override
                public void deliver(AcceptedDelta delta) {
                    super.deliver(delta);
                    cut.leave(this);
                }
            };
            cut.join(leaving, cut.version());
            Recorder carol = joinedAt(3);

            Replica a = new Replica(1);
            cut.accept(alice, "a1", a.insert(0, "x"));
            cut.accept(alice, "a2", a.insert(1, "y"));
            storeAll();

            assertEquals(List.of(new Acked("a1", 1), new Acked("a2", 2)), alice.events);
            assertEquals(2, carol.events.size(), carol.events::toString);
            assertEquals(2, leaving.events.size(), "joined, then the first delta; then it had left");
        }
    }
}
