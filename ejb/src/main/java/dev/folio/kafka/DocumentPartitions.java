package dev.folio.kafka;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.apache.kafka.common.utils.Utils;

/**
 * Which partition of the log holds a document's records: the one Kafka's default partitioner picks
 * for the record's key, the document id as a string. Computed here rather than asked of Kafka so a
 * reader knows where to look without producing. The topic's partition count must therefore never
 * change: Kafka can add partitions, and that would move documents to partitions that lack their
 * earlier records.
 */
public final class DocumentPartitions {

    private DocumentPartitions() {}

    /** The record key of a document's records. */
    public static String key(UUID documentId) {
        return documentId.toString();
    }

    public static int partitionOf(UUID documentId, int partitionCount) {
        if (partitionCount <= 0) {
            throw new IllegalArgumentException("a topic has at least one partition, not " + partitionCount);
        }
        byte[] key = key(documentId).getBytes(StandardCharsets.UTF_8);
        return Utils.toPositive(Utils.murmur2(key)) % partitionCount;
    }
}
