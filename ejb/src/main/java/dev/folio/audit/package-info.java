/**
 * The audit log: {@code AuditLog} (what administrators did, written in the caller's transaction
 * so that an action and its entry are stored together) and {@code JpaAuditLog} on the {@code
 * audit_log} table, read back as {@code AuditRecord}s. It uses access (the caller) and kafka (the
 * node's name).
 */
package dev.folio.audit;
