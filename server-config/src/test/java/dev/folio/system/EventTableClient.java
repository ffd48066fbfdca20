package dev.folio.system;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * A client of the system tests' DynamoDB Local, for tests that read or write the event table
 * themselves. Apart from {@link DynamoDbLocal}, which the load benchmark compiles without the AWS
 * SDK on its class path.
 */
final class EventTableClient {

    private EventTableClient() {}

    /** A new client; the caller closes it. */
    static DynamoDbClient open() throws Exception {
        return DynamoDbClient.builder()
                .endpointOverride(DynamoDbLocal.shared().endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("folio", "folio")))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }
}
