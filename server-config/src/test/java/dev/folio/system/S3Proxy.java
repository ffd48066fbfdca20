package dev.folio.system;

import java.io.IOException;
import java.net.URI;
import java.util.Map;

/**
 * S3Proxy from bin/local-s3 on a test port, started once for all tests, with the archive bucket
 * {@link #BUCKET}; it checks signatures against the access key folio / folio. Apart from {@link
 * ArchiveClient}, so that it needs no AWS SDK on the class path.
 */
final class S3Proxy {

    static final int PORT = 18900;
    static final String BUCKET = "folio-archive";

    private static S3Proxy shared;

    private final StackScript script = new StackScript(
            "local-s3",
            Map.of(
                    "FOLIO_S3_PORT",
                    Integer.toString(PORT),
                    "FOLIO_ARCHIVE_BUCKET",
                    BUCKET,
                    "AWS_ACCESS_KEY_ID",
                    "folio",
                    "AWS_SECRET_ACCESS_KEY",
                    "folio"));
    private final URI endpoint;

    private S3Proxy() throws IOException, InterruptedException {
        endpoint = URI.create(script.start());
        script.stopOnExit();
    }

    static synchronized S3Proxy shared() throws IOException, InterruptedException {
        if (shared == null) {
            shared = new S3Proxy();
        }
        return shared;
    }

    /** Stops the server (an outage for compaction), keeping its objects. */
    synchronized void stop() throws IOException, InterruptedException {
        script.stop();
    }

    /** Starts it again after {@link #stop}, with its objects as they were. */
    synchronized void start() throws IOException, InterruptedException {
        script.start();
    }

    URI endpoint() {
        return endpoint;
    }

    /**
     * What points a node's archive here, through the AWS SDK's standard endpoint variable (the
     * region and access key are the node's AWS settings, {@link PipelineServices#nodeEnvironment}).
     */
    Map<String, String> nodeEnvironment() {
        return Map.of(
                "AWS_ENDPOINT_URL_S3",
                endpoint.toString(),
                "FOLIO_ARCHIVE_BUCKET",
                BUCKET,
                "FOLIO_ARCHIVE_PATH_STYLE",
                "true");
    }
}
