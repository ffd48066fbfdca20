/**
 * Who may do what with a document: {@code DocumentAccess} (a document's members and their {@code
 * DocumentRole}s; {@code JpaDocumentAccess} keeps them in PostgreSQL), {@code Caller} (who sent a
 * request, as the verified token says), and {@code AccessChange}, the news that a role changed,
 * which {@code AccessChangeBroadcast} carries to the other nodes so that their live sessions
 * notice. It uses the membership entity and {@code dev.folio.persistence}; the document, auth and
 * web packages use it, never the other way round.
 */
package dev.folio.access;
