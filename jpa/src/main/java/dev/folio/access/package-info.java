/**
 * The membership table as an entity: {@code DocumentMember} ({@code document_members}), who is a
 * member of which document and with which role (owner, editor, viewer). The ejb module's {@code
 * dev.folio.access} reads and writes it; this package holds only the mapping and its named
 * queries, and uses nothing but Jakarta Persistence.
 */
package dev.folio.access;
