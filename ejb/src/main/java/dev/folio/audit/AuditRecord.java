package dev.folio.audit;

import java.time.Instant;

/** One entry of the audit log as it is read back: who did what to which target, when, on which node. */
public record AuditRecord(
        long id,
        Instant at,
        String actorId,
        String actorName,
        String action,
        String target,
        String detail,
        String node) {}
