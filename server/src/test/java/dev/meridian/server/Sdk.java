package dev.meridian.server;

import java.net.URI;
import java.time.Duration;
import java.util.function.Consumer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;

/** Real AWS SDK v2 clients pointed at a Meridian region, as an application would configure them. */
final class Sdk {
    static final String ACCESS_KEY = "meridian";
    static final String SECRET_KEY = "meridian-local-secret";

    private Sdk() {}

    static DynamoDbClient dynamo(URI endpoint, String region) {
        return dynamo(endpoint, region, SECRET_KEY);
    }

    static DynamoDbClient dynamo(URI endpoint, String region, String secret) {
        return dynamo(endpoint, region, secret, configuration -> {});
    }

    /** With more client configuration, e.g. interceptors or retries. */
    static DynamoDbClient dynamo(URI endpoint, String region, Consumer<ClientOverrideConfiguration.Builder> configure) {
        return dynamo(endpoint, region, SECRET_KEY, configure);
    }

    private static DynamoDbClient dynamo(URI endpoint, String region, String secret,
            Consumer<ClientOverrideConfiguration.Builder> configure) {
        return DynamoDbClient.builder()
                .endpointOverride(endpoint)
                .region(Region.of(region))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, secret)))
                .httpClient(UrlConnectionHttpClient.builder().socketTimeout(Duration.ofSeconds(30)).build())
                .overrideConfiguration(configuration(configure))
                .build();
    }

    /**
     * An S3 client with the SDK's defaults (CRC32 checksums sent as signed {@code aws-chunked} trailers over plain
     * HTTP), path-style as every S3-compatible endpoint on an IP address must be.
     */
    static S3Client s3(URI endpoint, String region) {
        return s3(endpoint, region, SECRET_KEY);
    }

    static S3Client s3(URI endpoint, String region, String secret) {
        return s3(endpoint, region, secret, configuration -> {});
    }

    /** With more client configuration, e.g. interceptors or retries. */
    static S3Client s3(URI endpoint, String region, Consumer<ClientOverrideConfiguration.Builder> configure) {
        return s3(endpoint, region, SECRET_KEY, configure);
    }

    private static S3Client s3(URI endpoint, String region, String secret,
            Consumer<ClientOverrideConfiguration.Builder> configure) {
        return S3Client.builder()
                .endpointOverride(endpoint)
                .region(Region.of(region))
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, secret)))
                .httpClient(UrlConnectionHttpClient.builder().socketTimeout(Duration.ofSeconds(60)).build())
                .overrideConfiguration(configuration(configure))
                .build();
    }

    /**
     * An asynchronous S3 client with the SDK's own multipart client on (what S3TransferManager builds on): objects
     * over 8 MiB go up in 8 MiB parts, several at once.
     */
    static S3AsyncClient s3Multipart(URI endpoint, String region) {
        return S3AsyncClient.builder()
                .endpointOverride(endpoint)
                .region(Region.of(region))
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .multipartEnabled(true)
                .multipartConfiguration(c -> c.minimumPartSizeInBytes(8L * 1024 * 1024)
                        .thresholdInBytes(8L * 1024 * 1024))
                .build();
    }

    private static ClientOverrideConfiguration configuration(Consumer<ClientOverrideConfiguration.Builder> configure) {
        ClientOverrideConfiguration.Builder builder = ClientOverrideConfiguration.builder().retryStrategy(RetryMode.STANDARD);
        configure.accept(builder);
        return builder.build();
    }
}
