package dev.folio.document.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.folio.access.Caller;
import dev.folio.presence.PresenceBroadcast;
import dev.folio.presence.PresenceChange;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What a node's sessions' presence costs the other nodes: at most one message per session and tick. */
class PresenceRelayTest {

    private final List<PresenceChange> published = new CopyOnWriteArrayList<>();
    private final PresenceRelay relay = new PresenceRelay();
    private final CountDownLatch publisherHeld = new CountDownLatch(1);

    @BeforeEach
    void relayWithRecordingBroadcast() {
        relay.broadcast = new PresenceBroadcast() {
            @Override
            public String node() {
                return "node-a";
            }

            @Override
            public void publish(PresenceChange change) {
                published.add(change);
            }
        };
        relay.publisher = Executors.newSingleThreadScheduledExecutor();
        // Holds the publishing thread, so that everything below happens within one tick on any machine.
        relay.publisher.execute(() -> {
            try {
                publisherHeld.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    @AfterEach
    void stop() {
        relay.stop();
    }

    @Test
    void aCaretMovedFiveHundredTimesInATickReachesTheOtherNodesOnceAtItsLastPlace() throws Exception {
        ClientChannel dragging = channel(UUID.randomUUID(), 7);
        for (int caret = 1; caret <= 500; caret++) {
            relay.show(dragging, presenceAt(caret));
        }

        List<PresenceChange> sent = publishedAfterTheTick(1);

        assertEquals(1, sent.size(), () -> "published " + sent.size() + ", the first " + sent.get(0));
        assertEquals(presenceAt(500), sent.get(0).frame());
        assertEquals(7, sent.get(0).site());
    }

    @Test
    void eachSessionOfADocumentIsPublishedOnItsOwn() throws Exception {
        UUID document = UUID.randomUUID();
        ClientChannel first = channel(document, 1);
        ClientChannel second = channel(document, 2);
        relay.show(first, presenceAt(10));
        relay.show(second, presenceAt(20));
        relay.show(first, presenceAt(11));

        List<PresenceChange> sent = publishedAfterTheTick(2);

        assertEquals(2, sent.size(), () -> "published " + sent.size() + ", the first " + sent.get(0));
        assertEquals(presenceAt(11), frameOfSite(sent, 1));
        assertEquals(presenceAt(20), frameOfSite(sent, 2));
    }

    @Test
    void aSessionThatLeavesRightAfterMovingIsLastSeenLeaving() throws Exception {
        ClientChannel leaving = channel(UUID.randomUUID(), 3);
        relay.show(leaving, presenceAt(1));
        relay.show(leaving, presenceAt(2));
        relay.leave(leaving);

        List<PresenceChange> sent = publishedAfterTheTick(1);

        assertEquals(1, sent.size(), () -> "published " + sent.size() + ", the first " + sent.get(0));
        assertNull(sent.get(0).frame(), "the other nodes learn it left, and nothing after");
    }

    /** Lets the publisher go, waits one tick past the delay, and returns what was published. */
    private List<PresenceChange> publishedAfterTheTick(int expected) throws Exception {
        publisherHeld.countDown();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (published.size() < expected && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        // Anything published late would come within another delay: wait for it, then look.
        CountDownLatch drained = new CountDownLatch(1);
        relay.publisher.schedule(drained::countDown, 2 * PresenceRelay.PUBLISH_DELAY_MILLIS, TimeUnit.MILLISECONDS);
        drained.await(10, TimeUnit.SECONDS);
        return List.copyOf(published);
    }

    private static String frameOfSite(List<PresenceChange> sent, int site) {
        return sent.stream()
                .filter(change -> change.site() == site)
                .map(PresenceChange::frame)
                .findFirst()
                .orElseThrow();
    }

    private static String presenceAt(int caret) {
        return "{\"type\":\"presence\",\"caret\":" + caret + "}";
    }

    private static ClientChannel channel(UUID document, int site) {
        Caller caller = new Caller(
                "tester",
                "Tester",
                Set.of(Caller.WRITER),
                "token",
                Instant.now(),
                Instant.now().plusSeconds(600));
        ClientChannel channel = new ClientChannel(
                null, document, caller, Runnable::run, null, 60, new TokenBucket(100, 100), new TokenBucket(100, 100));
        channel.useSite(site);
        return channel;
    }
}
