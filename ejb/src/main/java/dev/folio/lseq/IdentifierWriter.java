package dev.folio.lseq;

/**
 * Writes a run of identifiers compactly: each one as the number of leading levels it shares with
 * the previous one plus its other levels; the first differing digit as a difference from the
 * previous identifier's digit at that level, sites and counters as differences from the previous
 * ones written. Neighbouring identifiers in a document or a paste share most of their path, so this is
 * where the binary formats get small.
 *
 * <p>The delta format sends all four streams to one buffer; the snapshot keeps them apart so that
 * the compressor sees like next to like. docs/lseq.md, "Binary encodings", gives the layout.
 */
final class IdentifierWriter {

    private final ByteWriter structure;
    private final ByteWriter digits;
    private final ByteWriter sites;
    private final ByteWriter counters;
    private Identifier previous;
    private int previousCounter;
    private int previousSite;

    IdentifierWriter(ByteWriter structure, ByteWriter digits, ByteWriter sites, ByteWriter counters) {
        this.structure = structure;
        this.digits = digits;
        this.sites = sites;
        this.counters = counters;
    }

    IdentifierWriter(ByteWriter all) {
        this(all, all, all, all);
    }

    void write(Identifier id) {
        int shared = previous == null ? 0 : sharedLevels(previous, id);
        structure.writeVarint(id.depth());
        structure.writeVarint(shared);
        for (int level = shared; level < id.depth(); level++) {
            // The first level that differs usually sits a small step from the previous digit there.
            int base = level == shared && previous != null && level < previous.depth() ? previous.digit(level) : 0;
            digits.writeSignedVarint(id.digit(level) - base);
            sites.writeSignedVarint(id.site(level) - previousSite);
            previousSite = id.site(level);
            counters.writeSignedVarint(id.counter(level) - previousCounter);
            previousCounter = id.counter(level);
        }
        previous = id;
    }

    /** Size in bytes of {@code id} written on its own, the measure docs/benchmarks.md reports. */
    static int standaloneSize(Identifier id) {
        ByteWriter out = new ByteWriter(32);
        new IdentifierWriter(out).write(id);
        return out.length();
    }

    private static int sharedLevels(Identifier a, Identifier b) {
        int limit = Math.min(a.depth(), b.depth());
        int level = 0;
        while (level < limit && a.sameLevel(level, b)) {
            level++;
        }
        return level;
    }
}
