/**
 * What every package that talks to Kafka shares: {@code KafkaClients} (the configured producers,
 * consumers and admin clients, the topic and the node's name; an application-scoped CDI bean) and
 * {@code DocumentPartitions} (a document's record key and the partition it hashes to, as Kafka's
 * default partitioner does). It uses no Folio package, so messaging, eventlog, archive and audit
 * can all depend on it without depending on one another.
 */
package dev.folio.kafka;
