package dev.folio.archive;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/** The archive as encoded objects with their checksums, as S3 would hold them. */
public final class MemoryArchive implements EventArchive {

    private final TreeMap<String, ArchiveCodec.Encoded> objects = new TreeMap<>();
    int reads;

    @Override
    public void store(ArchivedRange range) {
        objects.put(range.key(), ArchiveCodec.encode(range));
    }

    @Override
    public List<String> keys(UUID documentId) {
        return objects.keySet().stream()
                .filter(key -> key.startsWith(ArchivedRange.prefix(documentId)))
                .toList();
    }

    @Override
    public ArchivedRange read(UUID documentId, String key) {
        reads++;
        ArchiveCodec.Encoded object = objects.get(key);
        return ArchiveCodec.decode(documentId, key, object.bytes(), object.sha256());
    }

    private final Set<UUID> deleted = new HashSet<>();

    @Override
    public Set<UUID> documentIds() {
        Set<UUID> ids = new HashSet<>();
        objects.keySet().forEach(key -> ids.add(UUID.fromString(key.split("/")[1])));
        return ids;
    }

    @Override
    public void markDeleted(UUID documentId) {
        deleted.add(documentId);
    }

    @Override
    public Set<UUID> deletedDocumentIds() {
        return Set.copyOf(deleted);
    }

    public String last() {
        return objects.lastKey();
    }

    public void damage(String key) {
        ArchiveCodec.Encoded object = objects.get(key);
        byte[] bytes = object.bytes().clone();
        bytes[bytes.length / 3] ^= 1;
        objects.put(key, new ArchiveCodec.Encoded(bytes, object.sha256()));
    }
}
