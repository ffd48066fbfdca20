package dev.folio.lseq;

/**
 * Writes a run of identifiers compactly: each one as the number of leading levels it shares with
 * the previous one plus its other levels, counters as differences from the previous counter
 * written. Neighbouring identifiers in a document or a paste share most of their path, so this is
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
            digits.writeVarint(id.digit(level));
            sites.writeVarint(id.site(level));
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
