/**
 * Live documents and where they are kept. {@code DocumentManager} (a singleton EJB) holds the
 * open documents, each a {@code LiveDocument} (one replica, its versions and subscribers; plain
 * Java, unit-tested) under its own lock; deltas are accepted, sent to the log through {@code
 * DeltaPublisher}, and applied when the log brings them back ({@code LoggedBatch}, {@code
 * DocumentLog}); clients are {@code DeltaSubscriber}s; {@code DocumentStore} / {@code
 * JpaDocumentStore} keep documents and snapshots in PostgreSQL; {@code Limits} and {@code
 * LogLimits} are what a client may send. It uses the LSEQ core, access and persistence; the log's
 * technology lives in messaging and eventlog, which implement its interfaces.
 */
package dev.folio.document;
