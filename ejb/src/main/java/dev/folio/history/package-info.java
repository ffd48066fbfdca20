/**
 * A document's past: {@code DocumentHistory} (its versions and who made them, from archives and
 * events), past texts ({@code PastText}, at a {@code PastPoint}: a version, an offset or a time),
 * restoring one as an ordinary edit ({@code History}, {@code RestoreEdits}, {@code
 * RestoringClient}), and rebuilding lost documents from S3 and DynamoDB ({@code Recovery}). It
 * uses archive, eventlog, document and the LSEQ core; the web module's {@code
 * dev.folio.history.rest} serves it.
 */
package dev.folio.history;
