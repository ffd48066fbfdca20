package dev.folio.document;

import dev.folio.lseq.Delta;
import java.util.Objects;

/**
 * A client's delta that a node accepted and sent on to the log: the client's operation id, the
 * site that sent it, its operations (only those that changed something on that node), and the user
 * whose session sent it, for the audit trail. It gets a version only once it comes back from the
 * log (see {@link LoggedBatch}).
 *
 * @param userId the sending session's user (the token's subject), or null in records written
 *     before the log named users
 */
public record SubmittedDelta(String opId, int site, Delta delta, String userId) {

    /** The longest user id a record carries, as the REST API takes them. */
    public static final int MAX_USER_ID_LENGTH = 255;

    public SubmittedDelta {
        if (!isValidOpId(opId)) {
            throw new IllegalArgumentException("an opId has 1 to 128 characters, and no lone surrogate");
        }
        if (site <= 0) {
            throw new IllegalArgumentException("sites start at 1, not " + site);
        }
        Objects.requireNonNull(delta, "delta");
        if (userId != null && !isUtf8Text(userId, MAX_USER_ID_LENGTH)) {
            throw new IllegalArgumentException("a user id has 1 to 255 characters, and no lone surrogate");
        }
    }

    /** A delta whose user is not known: from a record written before the log named users. */
    public SubmittedDelta(String opId, int site, Delta delta) {
        this(opId, site, delta, null);
    }

    /**
     * 1 to 128 characters that UTF-8 can carry: the log writes opIds as UTF-8, and one with a lone
     * surrogate would come back as another, never acknowledged.
     */
    public static boolean isValidOpId(String opId) {
        return isUtf8Text(opId, 128);
    }

    private static boolean isUtf8Text(String text, int maxLength) {
        return text != null
                && !text.isEmpty()
                && text.length() <= maxLength
                && text.codePoints().noneMatch(c -> Character.getType(c) == Character.SURROGATE);
    }
}
