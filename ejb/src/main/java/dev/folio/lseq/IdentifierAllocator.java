package dev.folio.lseq;

import java.util.Arrays;

/**
 * Allocates a new identifier strictly between two neighbours (LSEQ's {@code alloc}). docs/lseq.md,
 * "Allocation", states the same steps in prose; keep the two in step.
 *
 * <p>Walking down from the root, each depth either has room for a digit between the neighbours, and
 * the identifier ends there with the new insert's (site, counter), or it has none, and the path
 * copies the left neighbour's level (or, past the left neighbour's end, the right one's) and goes
 * one level deeper, where the base is twice as large.
 */
final class IdentifierAllocator {

    private final LseqParameters parameters;

    IdentifierAllocator(LseqParameters parameters) {
        this.parameters = parameters;
    }

    /**
     * @param left the identifier just before the new one, or null at the start of the document
     * @param right the identifier just after the new one, or null at the end of the document
     * @param site the site of the new insert
     * @param counter the site's counter for the new insert
     */
    Identifier between(Identifier left, Identifier right, int site, int counter) {
        int[] path = new int[3 * Math.max(4, left == null ? 1 : left.depth() + 1)];
        boolean bounded = right != null; // is the path still a prefix of the right neighbour?
        for (int depth = 0; ; depth++) {
            if (3 * depth + 3 > path.length) {
                path = Arrays.copyOf(path, path.length * 2);
            }
            boolean leftHasLevel = left != null && depth < left.depth();
            int low = leftHasLevel ? left.digit(depth) : 0;
            int high = bounded ? right.digit(depth) : parameters.base(depth);
            int room = high - low - 1;
            if (room >= 1) {
                int step = Math.min(parameters.boundary(), room);
                int offset = parameters.offset(site, counter, depth, step);
                int digit = parameters.boundaryPlus(depth) ? low + offset : high - offset;
                setLevel(path, depth, digit, site, counter);
                return new Identifier(Arrays.copyOf(path, 3 * depth + 3));
            }
            if (leftHasLevel) {
                left.copyLevel(depth, path, 3 * depth);
                bounded = bounded && left.sameLevel(depth, right);
            } else if (high == 1) {
                // Past the left neighbour's end, under a right digit of 1: digit 0 sorts before it
                // and, being followed by a deeper level, is never an identifier's last digit.
                setLevel(path, depth, 0, site, counter);
                bounded = false;
            } else {
                // high == 0: the right neighbour continues with a 0 digit; follow it down.
                right.copyLevel(depth, path, 3 * depth);
            }
        }
    }

    private static void setLevel(int[] path, int depth, int digit, int site, int counter) {
        path[3 * depth] = digit;
        path[3 * depth + 1] = site;
        path[3 * depth + 2] = counter;
    }
}
