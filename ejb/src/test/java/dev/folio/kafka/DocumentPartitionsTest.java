package dev.folio.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.UUID;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.Test;

class DocumentPartitionsTest {

    @Test
    void picksThePartitionKafkasDefaultPartitionerPicksForTheKey() {
        Random random = new Random(5);
        for (int i = 0; i < 20_000; i++) {
            UUID document = new UUID(random.nextLong(), random.nextLong());
            int partitions = 1 + random.nextInt(64);
            byte[] key = document.toString().getBytes(StandardCharsets.UTF_8);
            assertEquals(
                    BuiltInPartitioner.partitionForKey(key, partitions),
                    DocumentPartitions.partitionOf(document, partitions),
                    document + " in " + partitions);
        }
    }

    @Test
    void aKnownDocumentStaysWhereItIs() {
        // Pinned: a change here would strand every existing document's records.
        UUID document = UUID.fromString("6f1c1a52-3f0e-4c4e-9d64-0f2b4a3c5d11");
        assertEquals(4, DocumentPartitions.partitionOf(document, 12));
        assertEquals("6f1c1a52-3f0e-4c4e-9d64-0f2b4a3c5d11", DocumentPartitions.key(document));
    }

    @Test
    void aTopicHasPartitions() {
        assertThrows(IllegalArgumentException.class, () -> DocumentPartitions.partitionOf(UUID.randomUUID(), 0));
    }
}
