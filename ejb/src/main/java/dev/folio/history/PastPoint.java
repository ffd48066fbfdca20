package dev.folio.history;

import java.time.Instant;
import java.util.Objects;

/** A point in a document's past, as a person names it: a version, a log offset or a moment. */
public sealed interface PastPoint {

    /** Right after the delta that made {@code version} (0: before the first edit). */
    record AtVersion(long version) implements PastPoint {
        public AtVersion {
            if (version < 0) {
                throw new IllegalArgumentException("versions start at 0, not " + version);
            }
        }
    }

    /** After every record of the document's log up to {@code offset}. */
    record AtOffset(long offset) implements PastPoint {
        public AtOffset {
            if (offset < 0) {
                throw new IllegalArgumentException("offsets start at 0, not " + offset);
            }
        }
    }

    /** After every record the log took at or before {@code at}. */
    record AtTime(Instant at) implements PastPoint {
        public AtTime {
            Objects.requireNonNull(at, "at");
        }
    }
}
