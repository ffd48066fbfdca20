/**
 * The event pipeline's adapters to Artemis and Kafka: {@code JmsDeltaPublisher} (accepted deltas
 * to the Artemis queue), {@code DeltaBridge} and {@code KafkaDeltaForwarder} (that queue to the
 * Kafka topic), {@code DeltaFeed} (the topic back to every node's document manager), {@code
 * KafkaDocumentLog} (a document's records read back, from Kafka or the event log), and the
 * presence topic that carries presence, access changes and node statuses and commands ({@code
 * PresenceTopic}, {@code PresenceListener}). {@code MessagingResources} names the JNDI resources.
 * It implements the interfaces of document, access, cluster and presence and uses eventlog and
 * kafka; none of those use it.
 */
package dev.folio.messaging;
