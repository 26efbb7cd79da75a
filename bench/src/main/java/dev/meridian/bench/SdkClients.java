package dev.meridian.bench;

import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Builds the one kind of AWS SDK v2 DynamoDB client every benchmark uses, so Meridian and its peers are measured
 * through identical settings: the Apache HttpClient 5 transport, a connection per worker thread, and no retries (a
 * failed call counts as an error instead of hiding inside a latency).
 */
final class SdkClients {
    static final String ACCESS_KEY = "meridian";
    static final String SECRET_KEY = "meridian-local-secret";

    private SdkClients() {}

    static DynamoDbClient dynamo(URI endpoint, String region, int connections) {
        return DynamoDbClient.builder()
                .endpointOverride(endpoint)
                .region(Region.of(region))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .httpClient(Apache5HttpClient.builder()
                        .maxConnections(connections)
                        .connectionTimeout(Duration.ofSeconds(2))
                        .socketTimeout(Duration.ofSeconds(30))
                        .build())
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .retryStrategy(AwsRetryStrategy.doNotRetry())
                        .apiCallTimeout(Duration.ofSeconds(30))
                        .build())
                .build();
    }
}
