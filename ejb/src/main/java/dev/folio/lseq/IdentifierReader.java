package dev.folio.lseq;

/** Reads what {@link IdentifierWriter} wrote, checking every count before it trusts it. */
final class IdentifierReader {

    private final ByteReader structure;
    private final ByteReader digits;
    private final ByteReader sites;
    private final ByteReader counters;
    private int[] previous = new int[0];
    private int previousCounter;
    private int previousSite;

    IdentifierReader(ByteReader structure, ByteReader digits, ByteReader sites, ByteReader counters) {
        this.structure = structure;
        this.digits = digits;
        this.sites = sites;
        this.counters = counters;
    }

    IdentifierReader(ByteReader all) {
        this(all, all, all, all);
    }

    /** The next identifier, checked for shape; the caller checks it against the document's parameters. */
    Identifier read() {
        int depth = structure.readVarint();
        int shared = structure.readVarint();
        if (depth == 0 || depth > LseqParameters.MAX_DEPTH) {
            throw new InvalidDeltaException("identifier depth " + depth + " outside 1.." + LseqParameters.MAX_DEPTH);
        }
        if (shared > depth || 3 * shared > previous.length) {
            throw new InvalidDeltaException("identifier shares " + shared + " levels it does not have");
        }
        int[] triples = new int[3 * depth];
        System.arraycopy(previous, 0, triples, 0, 3 * shared);
        for (int level = shared; level < depth; level++) {
            int base = level == shared && 3 * level < previous.length ? previous[3 * level] : 0;
            int digit = base + digits.readSignedVarint();
            int site = previousSite + sites.readSignedVarint();
            int counter = previousCounter + counters.readSignedVarint();
            if (digit < 0 || site < 0 || counter < 0) {
                throw new InvalidDeltaException("negative digit, site or counter in identifier");
            }
            triples[3 * level] = digit;
            triples[3 * level + 1] = site;
            triples[3 * level + 2] = counter;
            previousSite = site;
            previousCounter = counter;
        }
        previous = triples;
        return new Identifier(triples);
    }
}
