package dev.meridian.server;

import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Real AWS SDK v2 DynamoDB clients pointed at a Meridian region, as an application would configure them. */
final class Sdk {
    static final String ACCESS_KEY = "meridian";
    static final String SECRET_KEY = "meridian-local-secret";

    private Sdk() {}

    static DynamoDbClient dynamo(URI endpoint, String region) {
        return dynamo(endpoint, region, SECRET_KEY);
    }

    static DynamoDbClient dynamo(URI endpoint, String region, String secret) {
        return DynamoDbClient.builder()
                .endpointOverride(endpoint)
                .region(Region.of(region))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, secret)))
                .httpClient(UrlConnectionHttpClient.builder().socketTimeout(Duration.ofSeconds(30)).build())
                .overrideConfiguration(ClientOverrideConfiguration.builder().retryStrategy(RetryMode.STANDARD).build())
                .build();
    }
}
