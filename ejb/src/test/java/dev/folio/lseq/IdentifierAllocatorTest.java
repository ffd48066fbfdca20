package dev.folio.lseq;

import static dev.folio.lseq.ConvergenceTest.assertStrictlyIncreasing;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** An insert between any two neighbours succeeds, however deep, and lands strictly between them. */
class IdentifierAllocatorTest {

    final IdentifierAllocator cut = new IdentifierAllocator(LseqParameters.DEFAULT);

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"front", "back", "backwards in the middle", "forwards in the middle", "alternating"})
    void twentyThousandInsertsAtOneSpotStayOrderedAndBounded(String pattern) {
        Replica replica = new Replica(1);
        replica.insert(0, "ab");
        for (int i = 0; i < 20_000; i++) {
            int index =
                    switch (pattern) {
                        case "front" -> 0;
                        case "back" -> replica.length();
                        case "backwards in the middle" -> 1;
                        case "forwards in the middle" -> replica.length() - 1;
                        default -> i % 2 == 0 ? 1 : replica.length() - 1;
                    };
            replica.insert(index, "x");
        }
        assertEquals(20_002, replica.length());
        assertStrictlyIncreasing(replica.identifiers());
        int deepest =
                replica.identifiers().stream().mapToInt(Identifier::depth).max().orElseThrow();
        assertTrue(deepest <= LseqParameters.MAX_DEPTH, "depth " + deepest);
    }

    @Test
    void aReplicaNeverSendsAnIdentifierItsPeersWouldRefuse() {
        // Inserting on alternate sides of the newest character deepens fastest; past the limit the
        // local edit is refused and nothing changes, so peers accept every delta they get.
        Replica replica = new Replica(1);
        Replica peer = new Replica(2);
        boolean refused = false;
        for (int i = 0; i < 5_000 && !refused; i++) {
            String before = replica.text();
            int counter = replica.nextCounter();
            try {
                peer.apply(replica.insert(replica.length() / 2, "ab"));
            } catch (IllegalStateException deepest) {
                refused = true;
                assertEquals(before, replica.text());
                assertEquals(counter, replica.nextCounter());
            }
        }
        assertTrue(refused, "the pattern should reach the depth limit");
        assertEquals(replica.text(), peer.text());
        assertEquals(replica.identifiers(), peer.identifiers());
    }

    @Test
    void randomInsertsLandBetweenTheirNeighbours() {
        Random random = new Random(7);
        Replica replica = new Replica(1);
        for (int i = 0; i < 10_000; i++) {
            int index = random.nextInt(replica.length() + 1);
            Identifier id = replica.insert(index, "y").operations().get(0).id();
            if (index > 0) {
                assertTrue(replica.identifierAt(index - 1).compareTo(id) < 0);
            }
            if (index + 1 < replica.length()) {
                assertTrue(id.compareTo(replica.identifierAt(index + 1)) < 0);
            }
        }
        assertStrictlyIncreasing(replica.identifiers());
    }

    @Test
    void betweenTwoConcurrentSiblingsWithTheSameDigit() {
        Identifier left = Identifier.of(5, 1, 0);
        Identifier right = Identifier.of(5, 2, 0);
        assertBetween(left, cut.between(left, right, 3, 0), right);
    }

    @Test
    void beforeAnIdentifierWhoseFirstDigitIsOne() {
        Identifier right = Identifier.of(1, 1, 0);
        Identifier id = cut.between(null, right, 2, 0);
        assertTrue(id.compareTo(right) < 0);
        assertEquals(0, id.digit(0), "digit 0 is the only room before digit 1");
        assertTrue(id.digit(id.depth() - 1) > 0);
    }

    @Test
    void followsARightNeighbourThatGoesDownThroughDigitZero() {
        Identifier right = Identifier.of(0, 1, 0, 1, 1, 1);
        assertBetween(null, cut.between(null, right, 2, 0), right);
    }

    @Test
    void betweenAParentAndItsFirstChild() {
        Identifier parent = Identifier.of(7, 1, 0);
        Identifier child = Identifier.of(7, 1, 0, 1, 2, 4);
        assertBetween(parent, cut.between(parent, child, 3, 9), child);
    }

    @Test
    void theSameInputsGiveTheSameIdentifierOnEveryReplica() {
        Identifier left = Identifier.of(100, 1, 0);
        Identifier right = Identifier.of(101, 1, 1);
        assertEquals(
                cut.between(left, right, 4, 17),
                new IdentifierAllocator(LseqParameters.DEFAULT).between(left, right, 4, 17));
    }

    private static void assertBetween(Identifier left, Identifier id, Identifier right) {
        if (left != null) {
            assertTrue(left.compareTo(id) < 0, left + " < " + id);
        }
        assertTrue(id.compareTo(right) < 0, id + " < " + right);
        LseqParameters.DEFAULT.check(id);
    }
}
