package dev.folio.eventlog;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The node's event log: the DynamoDB table {@code folio.event-table} at {@code
 * folio.dynamodb.endpoint} (DynamoDB Local in the local stack, which takes any credentials), on one
 * client for the whole application, closed when it stops. Calls give up after a few seconds, so a
 * caller that retries notices a restored endpoint soon.
 */
@ApplicationScoped
public class ConfiguredEventLog implements EventLog, DocumentDeletions {

    @Inject
    @ConfigProperty(name = "folio.dynamodb.endpoint", defaultValue = "http://127.0.0.1:8000")
    String endpoint;

    @Inject
    @ConfigProperty(name = "folio.event-table", defaultValue = DynamoDbEventLog.DEFAULT_TABLE)
    String table;

    private DynamoDbClient dynamo;
    private DynamoDbEventLog log;

    @PostConstruct
    void open() {
        dynamo = DynamoDbClient.builder()
                .endpointOverride(URI.create(endpoint))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(2))
                        .socketTimeout(Duration.ofSeconds(5))
                        .build())
                .overrideConfiguration(config -> config.apiCallTimeout(Duration.ofSeconds(10)))
                .build();
        log = new DynamoDbEventLog(dynamo, table);
    }

    @PreDestroy
    void close() {
        dynamo.close();
    }

    @Override
    public boolean append(LoggedDelta event) {
        return log.append(event);
    }

    @Override
    public void write(List<LoggedDelta> events) {
        log.write(events);
    }

    @Override
    public List<LoggedDelta> replay(UUID documentId, long afterOffset, int limit) {
        return log.replay(documentId, afterOffset, limit);
    }

    @Override
    public Set<UUID> documentIds() {
        return log.documentIds();
    }

    @Override
    public void delete(List<LoggedDelta> events) {
        log.delete(events);
    }

    @Override
    public void recordDeletions(List<DocumentDeletion> deletions) {
        log.recordDeletions(deletions);
    }

    @Override
    public List<DocumentDeletion> deletions() {
        return log.deletions();
    }

    @Override
    public Optional<DocumentDeletion> deletion(UUID documentId) {
        return log.deletion(documentId);
    }

    @Override
    public void forgetDeletion(UUID documentId) {
        log.forgetDeletion(documentId);
    }

    /** The client of the table, for other items kept in it (the compaction leases). */
    public DynamoDbClient dynamo() {
        return dynamo;
    }

    public String table() {
        return table;
    }

    /** Where the table is, for messages. */
    public String describe() {
        return "table " + table + " at " + endpoint;
    }
}
