/**
 * The admin console's API ({@code /api/admin}): {@code AdminResource}, {@code
 * AdminDocumentResource}, {@code AdminUserResource}, {@code AuditResource}, {@code
 * PipelineResource}, {@code CompactionResource} and {@code RecoveryResource}, all {@code
 * @AdminOnly} and checked by {@code AdminGroupCheck}; with what they need on this node: {@code
 * NodeAnnouncer} (this node's status, every few seconds), {@code NodeCommands}, {@code
 * DocumentOperations} (actions on live sessions across the cluster) and {@code PipelineView}. It
 * calls the ejb module's services and uses {@code dev.folio.web} for bodies and problems.
 */
package dev.folio.admin;
