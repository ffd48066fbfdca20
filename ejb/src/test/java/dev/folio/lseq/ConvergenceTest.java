package dev.folio.lseq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.folio.document.json.JsonDeltaCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Seeded random sessions: 3 to 8 replicas edit concurrently while a hostile network delivers
 * their deltas late, out of order, split into single operations and duplicated, sometimes as JSON,
 * sometimes as binary. At quiescence every replica is equal.
 */
class ConvergenceTest {

    record Message(int target, Delta delta) {}

    static LongStream seeds() {
        return LongStream.range(0, 60);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void everyReplicaEndsEqual(long seed) {
        Random random = new Random(seed);
        int replicaCount = 3 + random.nextInt(6);
        List<Replica> replicas = new ArrayList<>();
        for (int site = 0; site < replicaCount; site++) {
            replicas.add(new Replica(site + 1, 0, LseqParameters.DEFAULT));
        }
        List<Message> network = new ArrayList<>();

        for (int step = 0; step < 400; step++) {
            if (network.isEmpty() || random.nextInt(10) < 6) {
                int author = random.nextInt(replicaCount);
                Delta delta = randomEdit(replicas.get(author), random);
                for (int target = 0; target < replicaCount; target++) {
                    if (target != author) {
                        send(network, target, delta, random);
                    }
                }
            } else {
                deliverOne(network, replicas, random);
            }
        }
        while (!network.isEmpty()) {
            deliverOne(network, replicas, random);
        }

        Replica first = replicas.get(0);
        for (Replica replica : replicas) {
            assertEquals(first.text(), replica.text(), "text of site " + replica.site());
            assertEquals(first.identifiers(), replica.identifiers(), "identifiers of site " + replica.site());
            for (int site = 1; site <= replicaCount + 1; site++) {
                // What a server that forgets its deletes relies on: the same whatever the order.
                assertEquals(
                        first.highestCounter(site),
                        replica.highestCounter(site),
                        "highest counter of site " + site + " received by site " + replica.site());
            }
        }
        assertStrictlyIncreasing(first.identifiers());
    }

    static Delta randomEdit(Replica replica, Random random) {
        int length = replica.length();
        if (length > 0 && random.nextInt(3) == 0) {
            int index = random.nextInt(length);
            return replica.delete(index, 1 + random.nextInt(Math.min(4, length - index)));
        }
        StringBuilder text = new StringBuilder();
        for (int i = 1 + random.nextInt(4); i > 0; i--) {
            // Mostly letters, now and then a character outside the BMP (a surrogate pair in UTF-16).
            text.appendCodePoint(random.nextInt(20) == 0 ? 0x1F600 + random.nextInt(50) : 'a' + random.nextInt(26));
        }
        return replica.insert(random.nextInt(length + 1), text.toString());
    }

    /** Queues a delta whole or split into single operations, and through one of the two wire formats. */
    private static void send(List<Message> network, int target, Delta delta, Random random) {
        List<Delta> parts = new ArrayList<>();
        if (random.nextBoolean()) {
            delta.operations().forEach(operation -> parts.add(Delta.of(operation)));
        } else {
            parts.add(delta);
        }
        for (Delta part : parts) {
            Delta wire = random.nextBoolean()
                    ? BinaryDeltaCodec.decode(BinaryDeltaCodec.encode(part))
                    : JsonDeltaCodec.decode(JsonDeltaCodec.encode(part));
            network.add(new Message(target, wire));
        }
    }

    /** Delivers a random message; one in five stays in flight to arrive again later. */
    private static void deliverOne(List<Message> network, List<Replica> replicas, Random random) {
        int pick = random.nextInt(network.size());
        Message message = random.nextInt(5) == 0 ? network.get(pick) : network.remove(pick);
        replicas.get(message.target()).apply(message.delta());
    }

    static void assertStrictlyIncreasing(List<Identifier> ids) {
        for (int i = 1; i < ids.size(); i++) {
            assertTrue(ids.get(i - 1).compareTo(ids.get(i)) < 0, "order broken at " + i);
        }
    }
}
