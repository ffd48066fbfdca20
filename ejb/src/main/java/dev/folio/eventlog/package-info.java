/**
 * The event log in DynamoDB: {@code EventLog} (append and replay a document's deltas as {@code
 * LoggedDelta}s, in Kafka-offset order), {@code DynamoDbEventLog} on the AWS SDK, and {@code
 * EventLogWriter}, the Kafka consumer (group {@code folio-event-log}) that copies every record
 * into it, at least once. {@code EventLogProgress} says how far that writer is. It uses document
 * (the log record's form), kafka and the LSEQ codecs; messaging reads it back when Kafka no
 * longer has a document's records.
 */
package dev.folio.eventlog;
