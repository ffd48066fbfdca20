package dev.folio.document.socket;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.RandomGenerator;
import net.jqwik.api.Tuple;

/**
 * A million frames through {@link Frames#decode} in one run (issue 19: the fuzz tests grow to a
 * million frames), under {@link FramesFuzzTest}'s oracle: a frame within the protocol's ranges or a
 * {@link ProtocolException} with a code, nothing else, each within 2 s. jqwik's generators take
 * about four times as long to make a frame as decode takes to read it, so they make a pool of
 * 20,000 (without the 100,000-level nesting and megabyte strings, which FramesFuzzTest covers), and
 * each frame of the million is one of the pool with zero to three of FramesFuzzTest's edits, all
 * drawn from one seed. A failure names the frame and its number; the seed replays it.
 */
class FramesMillionFuzzTest {

    static final long SEED = 20261207L;
    static final int FRAMES = 1_000_000;
    static final int POOL = 20_000;

    @Example
    void aMillionGeneratedFramesEachDecodeOrAreRefusedWithACode() {
        Random random = new Random(SEED);
        List<String> pool = sample(frames(), POOL, random);
        List<String> tokens = sample(FramesFuzzTest.Grammar.token(), 1_000, random);
        FramesFuzzTest.Edit[] edits = FramesFuzzTest.Edit.values();
        Map<String, Integer> outcomes = new TreeMap<>();
        long characters = 0;
        for (int i = 0; i < FRAMES; i++) {
            String frame = pool.get(random.nextInt(POOL));
            for (int e = random.nextInt(4); e > 0; e--) {
                frame = FramesFuzzTest.apply(
                        frame,
                        pool.get(random.nextInt(POOL)),
                        edits[random.nextInt(edits.length)],
                        random.nextInt(1 << 16),
                        random.nextInt(41),
                        tokens.get(random.nextInt(tokens.size())));
            }
            characters += frame.length();
            outcomes.merge(outcome(i, frame), 1, Integer::sum);
        }
        System.out.printf(
                "FramesMillionFuzzTest: %d frames (%.1f M characters): %s%n", FRAMES, characters / 1e6, outcomes);
        // Every kind of frame still decodes: a generator that stopped making them would test less.
        for (String decoded : new String[] {"Join", "DeltaFrame", "Presence", "Auth", "Ping", "invalid-delta"}) {
            assertTrue(outcomes.getOrDefault(decoded, 0) >= FRAMES / 400, () -> decoded + ": " + outcomes);
        }
    }

    private static Arbitrary<String> frames() {
        return Arbitraries.frequencyOf(
                        Tuple.of(6, FramesFuzzTest.mutated(FramesFuzzTest.VALID)),
                        Tuple.of(8, FramesFuzzTest.Grammar.frame()),
                        Tuple.of(1, FramesFuzzTest.Grammar.anyValue()),
                        Tuple.of(1, FramesFuzzTest.Grammar.notJson()))
                .filter(frame -> !frame.isEmpty() && frame.length() <= 65_536); // spliced into others
    }

    private static List<String> sample(Arbitrary<String> arbitrary, int count, Random random) {
        RandomGenerator<String> generator = arbitrary.generator(100);
        List<String> sampled = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            sampled.add(generator.next(random).value());
        }
        return sampled;
    }

    /** The frame's outcome (its type, or the code it was refused with), checked as the oracle says. */
    private static String outcome(int number, String text) {
        long start = System.nanoTime();
        try {
            ClientFrame frame = Frames.decode(text);
            assertNotNull(frame, () -> "frame " + number + ": null for " + FramesFuzzTest.describe(text));
            FramesFuzzTest.checkRanges(frame, text);
            return frame.getClass().getSimpleName();
        } catch (ProtocolException refused) {
            assertTrue(
                    refused.code != null
                            && FramesFuzzTest.CODE.matcher(refused.code).matches(),
                    () -> "frame " + number + ": code " + refused.code + " for " + FramesFuzzTest.describe(text));
            assertTrue(!"invalid-delta".equals(refused.code) || refused.opId != null, "invalid-delta has the opId");
            return refused.code;
        } catch (AssertionError failed) {
            throw failed;
        } catch (Throwable escaped) {
            throw new AssertionError(
                    "frame " + number + ": " + escaped.getClass().getName() + " escaped Frames.decode for "
                            + FramesFuzzTest.describe(text),
                    escaped);
        } finally {
            long elapsed = System.nanoTime() - start;
            assertTrue(
                    elapsed <= FramesFuzzTest.MAX_NANOS_PER_FRAME,
                    () -> "frame " + number + " took " + elapsed / 1_000_000 + " ms: " + FramesFuzzTest.describe(text));
        }
    }
}
