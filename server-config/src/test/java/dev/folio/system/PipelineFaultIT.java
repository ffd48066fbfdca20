package dev.folio.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Faults in the middle of editing, with two nodes: Kafka stopped and started again, and a node
 * killed with SIGKILL. Nothing acknowledged may be lost, nothing may land twice, and every replica
 * ends equal.
 */
class PipelineFaultIT extends SystemTest {

    static MicroNode second;

    @BeforeAll
    static void startSecondNode() throws Exception {
        second = stack.secondNode();
    }

    @Test
    void editsMadeWhileKafkaIsDownArriveOnceItIsBackAndNothingTwice() throws Exception {
        UUID document = api.createDocument("kafka outage");
        ScheduledExecutorService pinger = Executors.newSingleThreadScheduledExecutor();
        try (EditorClient onA = EditorClient.join(stack.ws(), document, "a");
                EditorClient onB = EditorClient.join(second.ws(), document, "b")) {
            // Acks stop while Kafka is down, and a Kafka restart can take longer than the stack's
            // 8 s idle limit: the clients ping, as the browser editor does.
            pinger.scheduleAtFixedRate(
                    () -> {
                        onA.sendRaw("{\"type\":\"ping\"}");
                        onB.sendRaw("{\"type\":\"ping\"}");
                    },
                    2,
                    2,
                    TimeUnit.SECONDS);
            type(onA, "aaaa", 20);
            type(onB, "bbbb", 20);
            onA.awaitAcknowledged();
            onB.awaitAcknowledged();

            KafkaBroker kafka = KafkaBroker.shared();
            kafka.stop();
            try {
                // Accepted and durable in Artemis, but not acknowledged: acks come from the log.
                type(onA, "cccc", 30);
                type(onB, "dddd", 30);
                Thread.sleep(2_000);
                assertTrue(onA.unacknowledgedCount() > 0, "no ack while Kafka is down");
            } finally {
                kafka.start();
            }
            onA.awaitAcknowledged();
            onB.awaitAcknowledged();
            long version = Math.max(onA.version(), onB.version());
            onA.awaitVersion(version);
            onB.awaitVersion(version);

            assertEquals(onA.text(), onB.text(), "every replica is equal");
            assertEquals(100, onA.text().length(), "every insert once: nothing lost, nothing twice");
            assertEquals(onA.text(), api.document(document).getString("text"));
            assertTrue(onA.errors().isEmpty() && onB.errors().isEmpty(), "no error frames");
        } finally {
            pinger.shutdownNow();
        }
    }

    @Test
    void killingANodeMidEditLosesNoAcknowledgedEditAndItsClientsMoveToTheOther() throws Exception {
        UUID document = api.createDocument("node killed");
        List<EditorClient> onSecond = new ArrayList<>();
        List<String> alphabets = List.of("abcdefgh", "ijklmnop");
        for (int i = 0; i < alphabets.size(); i++) {
            onSecond.add(EditorClient.join(second.ws(), document, "typist" + i));
        }
        try (EditorClient watcher = EditorClient.join(stack.ws(), document, "watcher")) {
            ExecutorService typing = Executors.newFixedThreadPool(onSecond.size());
            List<Future<?>> typists = new ArrayList<>();
            for (int i = 0; i < onSecond.size(); i++) {
                EditorClient client = onSecond.get(i);
                String alphabet = alphabets.get(i);
                typists.add(typing.submit(() -> {
                    for (int n = 0; n < 300; n++) {
                        client.insert(0, String.valueOf(alphabet.charAt(n % alphabet.length())));
                    }
                    return null;
                }));
            }
            for (EditorClient client : onSecond) {
                client.await(() -> client.acknowledgedOps().size() >= 50, "50 acknowledgements");
            }
            second.kill();
            for (Future<?> typist : typists) {
                typist.get();
            }
            typing.shutdown();

            // A load balancer sends them to the node that is left; they resend what was not acknowledged.
            for (EditorClient client : onSecond) {
                client.moveTo(stack.ws());
                client.connect();
            }
            for (EditorClient client : onSecond) {
                client.awaitAcknowledged();
            }
            String text = api.document(document).getString("text");
            for (EditorClient client : onSecond) {
                assertTrue(
                        isSubsequence(client.acknowledgedInsertsInDocumentOrder(), text),
                        "every acknowledged insert of " + client.site() + " survived");
            }
            long version = api.document(document).getJsonNumber("version").longValue();
            watcher.awaitVersion(version);
            for (EditorClient client : onSecond) {
                client.awaitVersion(version);
                assertEquals(text, client.text(), "every replica is equal");
                client.close();
            }
            assertEquals(text, watcher.text());
            assertEquals(2 * 300, text.length(), "nothing lost, nothing twice");
        } finally {
            second.start();
        }
    }

    private static void type(EditorClient client, String alphabet, int count) {
        for (int n = 0; n < count; n++) {
            client.insert(client.text().length(), String.valueOf(alphabet.charAt(n % alphabet.length())));
        }
    }
}
