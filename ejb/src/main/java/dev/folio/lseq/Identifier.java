package dev.folio.lseq;

import java.util.Arrays;

/**
 * The position of one character: a path from the root of the LSEQ tree, one level per depth, each
 * level a triple (digit, site, counter). Identifiers compare level by level, triple by triple, and
 * a path that is a prefix of another sorts before it. The (site, counter) of the last level is the
 * insert that created it, so no two inserts share an identifier.
 *
 * <p>Immutable. The triples are stored flat, {@code [digit0, site0, counter0, digit1, ...]}, which
 * makes comparison a single vectorised {@link Arrays#compare(int[], int[])}.
 */
public final class Identifier implements Comparable<Identifier> {

    private final int[] triples;
    private int hash;

    /** Takes ownership of {@code triples}; callers in this package never touch it again. */
    Identifier(int[] triples) {
        this.triples = triples;
    }

    /**
     * An identifier from its flat triples, checked for shape (not for a document's parameters:
     * {@link LseqParameters#check} does that).
     *
     * @throws InvalidDeltaException if empty, not made of whole triples, or holding a negative number
     */
    public static Identifier of(int... triples) {
        if (triples.length == 0) {
            throw new InvalidDeltaException("an identifier needs at least one level");
        }
        if (triples.length % 3 != 0) {
            throw new InvalidDeltaException("an identifier is made of (digit, site, counter) triples");
        }
        for (int value : triples) {
            if (value < 0) {
                throw new InvalidDeltaException("digits, sites and counters are never negative: " + value);
            }
        }
        return new Identifier(triples.clone());
    }

    /** Number of levels: 1 for a child of the root. */
    public int depth() {
        return triples.length / 3;
    }

    public int digit(int level) {
        return triples[3 * level];
    }

    public int site(int level) {
        return triples[3 * level + 1];
    }

    public int counter(int level) {
        return triples[3 * level + 2];
    }

    /** The site that created this identifier. */
    public int site() {
        return site(depth() - 1);
    }

    /** The creating site's counter for this insert. */
    public int counter() {
        return counter(depth() - 1);
    }

    /** True if level {@code level} of both identifiers is the same triple. */
    boolean sameLevel(int level, Identifier other) {
        int from = 3 * level;
        return Arrays.equals(triples, from, from + 3, other.triples, from, from + 3);
    }

    /** Appends level {@code level} of this identifier to {@code out} at {@code at}. */
    void copyLevel(int level, int[] out, int at) {
        System.arraycopy(triples, 3 * level, out, at, 3);
    }

    /** A copy of the flat triples. */
    public int[] toArray() {
        return triples.clone();
    }

    @Override
    public int compareTo(Identifier other) {
        return Arrays.compare(triples, other.triples);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Identifier id && Arrays.equals(triples, id.triples);
    }

    @Override
    public int hashCode() {
        int h = hash;
        if (h == 0) {
            h = Arrays.hashCode(triples);
            hash = h;
        }
        return h;
    }

    /** Like {@code [12:3:40 7:3:41]}: digit:site:counter per level. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("[");
        for (int level = 0; level < depth(); level++) {
            if (level > 0) {
                text.append(' ');
            }
            text.append(digit(level))
                    .append(':')
                    .append(site(level))
                    .append(':')
                    .append(counter(level));
        }
        return text.append(']').toString();
    }
}
