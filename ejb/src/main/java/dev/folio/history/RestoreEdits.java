package dev.folio.history;

import dev.folio.document.LogLimits;
import dev.folio.lseq.Delta;
import dev.folio.lseq.Operation;
import dev.folio.lseq.Replica;
import java.util.ArrayList;
import java.util.List;

/**
 * The edits that turn a replica's text into a past text, as a person would make them: the range
 * between the longest common prefix and suffix is deleted and the past text of that range typed in
 * its place. Characters outside the range keep their identifiers, so carets and concurrent edits
 * there are untouched. The deltas are cut as a browser cuts a paste: at most {@value #MAX_OPERATIONS}
 * operations, and well under what the event log takes.
 */
public final class RestoreEdits {

    static final int MAX_OPERATIONS = 1_000;

    private RestoreEdits() {}

    /** Deletes to send first, then inserts (so the document never holds both texts at once). */
    public record Edits(List<Delta> deletes, List<Delta> inserts) {

        public boolean isEmpty() {
            return deletes.isEmpty() && inserts.isEmpty();
        }

        public int size() {
            return deletes.size() + inserts.size();
        }
    }

    /** Applies the edits to {@code replica} (whose text then is {@code target}) and returns them. */
    public static Edits between(Replica replica, String target) {
        int[] now = replica.text().codePoints().toArray();
        int[] past = target.codePoints().toArray();
        int prefix = 0;
        while (prefix < now.length && prefix < past.length && now[prefix] == past[prefix]) {
            prefix++;
        }
        int suffix = 0;
        while (suffix < now.length - prefix
                && suffix < past.length - prefix
                && now[now.length - 1 - suffix] == past[past.length - 1 - suffix]) {
            suffix++;
        }
        int deleted = now.length - prefix - suffix;
        List<Delta> deletes = deleted == 0 ? List.of() : cut(replica.delete(prefix, deleted));
        String typed = new String(past, prefix, past.length - prefix - suffix);
        List<Delta> inserts = typed.isEmpty() ? List.of() : cut(replica.insert(prefix, typed));
        return new Edits(deletes, inserts);
    }

    /** One local delta as consecutive parts, each small enough for a log event. */
    static List<Delta> cut(Delta delta) {
        List<Delta> parts = new ArrayList<>();
        List<Operation> part = new ArrayList<>();
        long bytes = 0;
        for (Operation operation : delta.operations()) {
            long operationBytes = LogLimits.jsonBytesAtMost(new Delta(List.of(operation)));
            if (!part.isEmpty()
                    && (part.size() == MAX_OPERATIONS || bytes + operationBytes > LogLimits.MAX_DELTA_JSON_BYTES / 2)) {
                parts.add(new Delta(part));
                part = new ArrayList<>();
                bytes = 0;
            }
            part.add(operation);
            bytes += operationBytes;
        }
        parts.add(new Delta(part));
        return parts;
    }
}
