/**
 * Readiness checks (MicroProfile Health, {@code /health/ready}): the database ({@code
 * DatabaseReadiness}), the log ({@code LogReadiness}: the feed reads Kafka, the event-log writer
 * is not stuck) and the Artemis broker ({@code MessagingReadiness}). It reads the document,
 * eventlog and messaging services and changes nothing.
 */
package dev.folio.health;
