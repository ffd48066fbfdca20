/**
 * What the PostgreSQL-backed services share that is about the database rather than a concept of
 * theirs: {@code SchemaMigrations}, which applies the schema's pending migrations (Flyway) when the
 * application starts, and {@code AdvisoryLocks}, transaction-scoped advisory locks that keep a
 * count-then-insert (the documents a user owns, the members of a document) from being passed by a
 * parallel one.
 */
package dev.folio.persistence;
