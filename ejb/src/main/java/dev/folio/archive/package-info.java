/**
 * Compaction: a document's events older than its stored snapshot move from the DynamoDB event log
 * into an {@code EventArchive} (S3, one checked gzip object per offset range, {@code
 * ArchiveCodec}), run by {@code CompactionJob} on every node and held per document by a {@code
 * CompactionLease}. It uses document (snapshots, rebuilding), eventlog and kafka; history reads
 * the archives back.
 */
package dev.folio.archive;
