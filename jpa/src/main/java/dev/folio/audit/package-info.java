/**
 * The audit log's row as an entity: {@code AuditEntry} ({@code audit_log}), one thing an
 * administrator did. Rows are only ever added. The ejb module's {@code dev.folio.audit} writes
 * and reads them; this package uses nothing but Jakarta Persistence.
 */
package dev.folio.audit;
