package dev.folio.archive;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The node's archive: the bucket {@code folio.archive.bucket} in S3, on one client for the whole
 * application, made on first use (a node without S3 settings still starts; its compaction runs fail
 * and are counted) and closed when it stops.
 *
 * <p>Endpoint, region and credentials come from the AWS SDK's standard settings ({@code
 * AWS_ENDPOINT_URL_S3}, {@code AWS_REGION}, {@code AWS_ACCESS_KEY_ID} ... or a profile, an instance
 * role), so pointing a node at AWS is configuration only. {@code folio.archive.path-style} names the
 * bucket in the path rather than the host name, as S3Proxy needs. The SDK's own request checksums
 * are asked for only where S3 requires them: S3-compatible servers do not all take the trailing
 * checksums it sends by default, and the archive checks every object itself.
 */
@ApplicationScoped
public class ConfiguredEventArchive implements EventArchive {

    @Inject
    @ConfigProperty(name = "folio.archive.bucket", defaultValue = "folio-archive")
    String bucket;

    @Inject
    @ConfigProperty(name = "folio.archive.path-style", defaultValue = "false")
    boolean pathStyle;

    private S3Client s3;
    private EventArchive archive;

    @PostConstruct
    void open() {
        s3 = S3Client.builder()
                .forcePathStyle(pathStyle)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .httpClient(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(2))
                        .socketTimeout(Duration.ofSeconds(30))
                        .build())
                .overrideConfiguration(config -> config.apiCallTimeout(Duration.ofSeconds(60)))
                .build();
        archive = new S3EventArchive(s3, bucket);
    }

    @PreDestroy
    void close() {
        s3.close();
    }

    @Override
    public void store(ArchivedRange range) {
        archive.store(range);
    }

    @Override
    public List<String> keys(UUID documentId) {
        return archive.keys(documentId);
    }

    @Override
    public ArchivedRange read(UUID documentId, String key) {
        return archive.read(documentId, key);
    }

    @Override
    public Set<UUID> documentIds() {
        return archive.documentIds();
    }

    @Override
    public void markDeleted(UUID documentId) {
        archive.markDeleted(documentId);
    }

    @Override
    public Set<UUID> deletedDocumentIds() {
        return archive.deletedDocumentIds();
    }

    /** Where the archive is, for messages. */
    public String describe() {
        return "bucket " + bucket;
    }
}
