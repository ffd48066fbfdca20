/**
 * A document's row as an entity: {@code Document} ({@code documents}), its title, author,
 * version, timestamps and latest snapshot ({@code content}). The ejb module's document store
 * reads and writes it; this package uses nothing but Jakarta Persistence, and the persistence
 * unit ({@code META-INF/persistence.xml}) lists it with the other entities.
 */
package dev.folio.document;
