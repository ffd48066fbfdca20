package dev.folio.audit;

import dev.folio.access.Caller;
import java.util.List;

/**
 * What administrators did, kept for everyone who runs the installation to read (docs/operations.md,
 * "The audit log"). An entry joins the caller's transaction, so an action and its entry are stored
 * together or not at all where the action is a database transaction.
 */
public interface AuditLog {

    /**
     * @param target what was acted on: {@code document:<id>}, {@code user:<id>}, {@code compaction}
     * @param detail a short line for people: the role given, how many sessions were closed
     */
    void record(Caller actor, AuditAction action, String target, String detail);

    /** The newest entries first. */
    List<AuditRecord> newest(int offset, int limit);

    long count();
}
