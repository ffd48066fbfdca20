package dev.folio.lseq;

import static org.junit.jupiter.api.Assertions.fail;

import dev.folio.document.json.JsonDeltaCodec;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Seeded mutations of valid encodings (flipped, inserted, removed and truncated bytes): every
 * decoder either decodes or throws {@link InvalidDeltaException}, never anything else, and what it
 * decodes a replica either applies or refuses the same way.
 */
class DecoderRobustnessTest {

    static final int MUTANTS = 20_000;

    @Test
    void binaryDeltas() {
        Replica author = new Replica(4);
        author.insert(0, "robust 😀 text");
        byte[] valid = BinaryDeltaCodec.encode(author.insert(3, "abc"));
        int decoded = fuzz(valid, bytes -> {
            Delta delta = BinaryDeltaCodec.decode(bytes);
            new Replica(9).apply(delta);
            return delta;
        });
        System.out.printf("binary deltas: %d mutants, %d decoded%n", MUTANTS, decoded);
    }

    @Test
    void snapshots() {
        Replica replica = new Replica(4);
        replica.insert(0, "snapshot under attack");
        replica.delete(2, 5);
        byte[] valid = SnapshotCodec.encode(replica);
        int decoded = fuzz(valid, bytes -> SnapshotCodec.decode(bytes, 1, 0));
        System.out.printf("snapshots: %d mutants, %d decoded%n", MUTANTS, decoded);
    }

    @Test
    void jsonDeltas() {
        Replica author = new Replica(4);
        author.insert(0, "json");
        byte[] valid = JsonDeltaCodec.encode(author.delete(1, 2)).getBytes(StandardCharsets.UTF_8);
        int decoded = fuzz(valid, bytes -> {
            Delta delta = JsonDeltaCodec.decode(new String(bytes, StandardCharsets.UTF_8));
            new Replica(9).apply(delta);
            return delta;
        });
        System.out.printf("JSON deltas: %d mutants, %d decoded%n", MUTANTS, decoded);
    }

    private static int fuzz(byte[] valid, Function<byte[], Object> decoder) {
        Random random = new Random(valid.length);
        int decoded = 0;
        for (int i = 0; i < MUTANTS; i++) {
            byte[] mutant = mutate(valid, random);
            try {
                decoder.apply(mutant);
                decoded++;
            } catch (InvalidDeltaException expected) {
                // refused cleanly
            } catch (RuntimeException | Error e) {
                fail(
                        "mutant " + i + " threw " + e + " for "
                                + java.util.HexFormat.of().formatHex(mutant),
                        e);
            }
        }
        return decoded;
    }

    private static byte[] mutate(byte[] valid, Random random) {
        byte[] out = valid.clone();
        for (int edits = 1 + random.nextInt(3); edits > 0; edits--) {
            int at = random.nextInt(out.length);
            switch (random.nextInt(4)) {
                case 0 -> out[at] ^= (byte) (1 << random.nextInt(8));
                case 1 -> out[at] = (byte) random.nextInt(256);
                case 2 -> out = java.util.Arrays.copyOf(out, Math.max(1, at));
                default -> {
                    byte[] longer = new byte[out.length + 1];
                    System.arraycopy(out, 0, longer, 0, at);
                    longer[at] = (byte) random.nextInt(256);
                    System.arraycopy(out, at, longer, at + 1, out.length - at);
                    out = longer;
                }
            }
        }
        return out;
    }
}
