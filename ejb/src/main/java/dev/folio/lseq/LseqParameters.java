package dev.folio.lseq;

/**
 * The constants every replica of one document must share: they decide the tree's shape and
 * therefore which identifiers are valid and which ones a replica allocates.
 *
 * <p>See docs/lseq.md, "Parameters" and "Allocation", for the exact arithmetic; the JavaScript
 * client computes the same numbers from the same description.
 *
 * @param rootBaseBits the tree has {@code 2^rootBaseBits} digits at depth 0; each level below
 *     doubles it, up to {@link #MAX_BASE_BITS}
 * @param boundary the widest step an allocation takes away from its neighbour
 * @param strategySeed decides, per depth, whether allocations hug the left neighbour (boundary+)
 *     or the right one (boundary-)
 */
public record LseqParameters(int rootBaseBits, int boundary, int strategySeed) {

    /** Digits stay below 2^30 so that both Java ints and JavaScript bit operations hold them. */
    public static final int MAX_BASE_BITS = 30;

    /**
     * Deeper identifiers are refused. Typing, even heavy editing, stays far below (the traces reach
     * 15), but inserting again and again on alternate sides of the newest character deepens by a
     * level every few characters; {@link Replica#insert} refuses such an edit rather than create an
     * identifier its peers would refuse.
     */
    public static final int MAX_DEPTH = 256;

    /** The defaults Folio documents use; measured in docs/benchmarks.md. */
    public static final LseqParameters DEFAULT = new LseqParameters(12, 10, 0x4C534551);

    public LseqParameters {
        if (rootBaseBits < 1 || rootBaseBits > MAX_BASE_BITS) {
            throw new IllegalArgumentException("rootBaseBits must be in 1.." + MAX_BASE_BITS + ": " + rootBaseBits);
        }
        if (boundary < 1) {
            throw new IllegalArgumentException("boundary must be positive: " + boundary);
        }
    }

    /** Number of bits of a digit at this depth (depth 0 is the root's children). */
    public int baseBits(int depth) {
        return Math.min(rootBaseBits + depth, MAX_BASE_BITS);
    }

    /** Number of distinct digits at this depth: digits run from 0 to {@code base(depth) - 1}. */
    public int base(int depth) {
        return 1 << baseBits(depth);
    }

    /** True if allocations at this depth count up from the left neighbour (boundary+). */
    public boolean boundaryPlus(int depth) {
        return (mix32(strategySeed + depth * 0x9E3779B9) & 1) == 0;
    }

    /**
     * The distance, in 1..step, an allocation keeps from the neighbour it hugs. It is a hash of the
     * new identifier's own site and counter, so every replica (and a test vector) can recompute it.
     */
    public int offset(int site, int counter, int depth, int step) {
        int hash = mix32(mix32(mix32(strategySeed ^ depth) ^ site) ^ counter);
        return 1 + Integer.remainderUnsigned(hash, step);
    }

    /**
     * Checks that an identifier could have been allocated under these parameters.
     *
     * @throws InvalidDeltaException naming the first rule the identifier breaks
     */
    public void check(Identifier id) {
        int depth = id.depth();
        if (depth > MAX_DEPTH) {
            throw new InvalidDeltaException("identifier has " + depth + " levels, more than " + MAX_DEPTH);
        }
        for (int level = 0; level < depth; level++) {
            int digit = id.digit(level);
            if (digit >= base(level)) {
                throw new InvalidDeltaException(
                        "digit " + digit + " at depth " + level + " is outside its base " + base(level));
            }
        }
        if (id.digit(depth - 1) == 0) {
            throw new InvalidDeltaException("the last digit of an identifier is never 0: " + id);
        }
    }

    /** MurmurHash3's 32-bit finalizer: cheap, well mixed, and easy to reproduce in JavaScript. */
    static int mix32(int h) {
        h ^= h >>> 16;
        h *= 0x85EBCA6B;
        h ^= h >>> 13;
        h *= 0xC2B2AE35;
        h ^= h >>> 16;
        return h;
    }
}
