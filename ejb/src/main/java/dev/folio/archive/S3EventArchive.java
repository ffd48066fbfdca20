package dev.folio.archive;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The archive in an S3 bucket: one gzip object per range ({@link ArchivedRange#key()}), its SHA-256
 * in the object's metadata ({@code x-amz-meta-sha256}) and its event count beside it. Any
 * S3-compatible store works (S3Proxy in the local stack).
 *
 * <p>The client is the caller's (endpoint, region, credentials) and is not closed here.
 */
public final class S3EventArchive implements EventArchive {

    static final String SHA256 = "sha256";
    static final String EVENTS = "events";

    private final S3Client s3;
    private final String bucket;

    public S3EventArchive(S3Client s3, String bucket) {
        this.s3 = Objects.requireNonNull(s3, "s3");
        this.bucket = Objects.requireNonNull(bucket, "bucket");
    }

    /**
     * Puts the object, then reads it back and compares it byte for byte with what was sent (so its
     * length and checksum too): the compactor deletes events from DynamoDB only after this returns.
     */
    @Override
    public void store(ArchivedRange range) {
        ArchiveCodec.Encoded encoded = ArchiveCodec.encode(range);
        String key = range.key();
        s3.putObject(
                put -> put.bucket(bucket)
                        .key(key)
                        .contentType("application/gzip")
                        .metadata(Map.of(
                                SHA256,
                                encoded.sha256(),
                                EVENTS,
                                Integer.toString(range.events().size()))),
                RequestBody.fromBytes(encoded.bytes()));
        ResponseBytes<GetObjectResponse> back = get(key);
        if (!Arrays.equals(back.asByteArray(), encoded.bytes())
                || !encoded.sha256().equals(back.response().metadata().get(SHA256))) {
            // Never leave a bad object where the next run would take it for the latest archive.
            s3.deleteObject(delete -> delete.bucket(bucket).key(key));
            throw new CorruptArchiveException(
                    range.documentId(),
                    key,
                    "read back right after writing, it has " + back.asByteArray().length + " bytes and SHA-256 "
                            + ArchiveCodec.sha256(back.asByteArray()) + " (metadata "
                            + back.response().metadata().get(SHA256) + "), not the " + encoded.bytes().length
                            + " bytes and " + encoded.sha256() + " written; it was removed");
        }
    }

    @Override
    public List<String> keys(UUID documentId) {
        return s3
                .listObjectsV2Paginator(list -> list.bucket(bucket).prefix(ArchivedRange.prefix(documentId)))
                .contents()
                .stream()
                .map(S3Object::key)
                .sorted()
                .toList();
    }

    @Override
    public ArchivedRange read(UUID documentId, String key) {
        ResponseBytes<GetObjectResponse> object = get(key);
        return ArchiveCodec.decode(
                documentId,
                key,
                object.asByteArray(),
                object.response().metadata().get(SHA256));
    }

    /** The document ids named by the folders under {@code documents/}. */
    @Override
    public Set<UUID> documentIds() {
        return idsUnder(ArchivedRange.PREFIX, true);
    }

    /** An empty object {@code deleted/<documentId>}. */
    @Override
    public void markDeleted(UUID documentId) {
        s3.putObject(put -> put.bucket(bucket).key(DELETED + documentId), RequestBody.empty());
    }

    @Override
    public Set<UUID> deletedDocumentIds() {
        return idsUnder(DELETED, false);
    }

    private Set<UUID> idsUnder(String prefix, boolean folders) {
        var pages = s3.listObjectsV2Paginator(
                list -> list.bucket(bucket).prefix(prefix).delimiter(folders ? "/" : null));
        Set<UUID> ids = new HashSet<>();
        (folders
                        ? pages.commonPrefixes().stream().map(CommonPrefix::prefix)
                        : pages.contents().stream().map(S3Object::key))
                .map(key -> key.substring(prefix.length()).replace("/", ""))
                .forEach(name -> {
                    try {
                        ids.add(UUID.fromString(name));
                    } catch (IllegalArgumentException notFolios) {
                        // another program's object in the bucket: not a document
                    }
                });
        return ids;
    }

    private static final String DELETED = "deleted/";

    private ResponseBytes<GetObjectResponse> get(String key) {
        return s3.getObjectAsBytes(get -> get.bucket(bucket).key(key));
    }
}
