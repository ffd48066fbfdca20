package dev.folio.document;

import dev.folio.lseq.Delta;
import java.util.Objects;

/**
 * A client's delta that a node accepted and sent on to the log: the client's operation id, the
 * site that sent it, and its operations (only those that changed something on that node). It gets
 * a version only once it comes back from the log (see {@link LoggedBatch}).
 */
public record SubmittedDelta(String opId, int site, Delta delta) {

    public SubmittedDelta {
        if (!isValidOpId(opId)) {
            throw new IllegalArgumentException("an opId has 1 to 128 characters, and no lone surrogate");
        }
        if (site <= 0) {
            throw new IllegalArgumentException("sites start at 1, not " + site);
        }
        Objects.requireNonNull(delta, "delta");
    }

    /**
     * 1 to 128 characters that UTF-8 can carry: the log writes opIds as UTF-8, and one with a lone
     * surrogate would come back as another, never acknowledged.
     */
    public static boolean isValidOpId(String opId) {
        return opId != null
                && !opId.isEmpty()
                && opId.length() <= 128
                && opId.codePoints().noneMatch(c -> Character.getType(c) == Character.SURROGATE);
    }
}
