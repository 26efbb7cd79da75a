package dev.meridian.bench;

import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Builds the AWS SDK v2 clients every benchmark uses, so Meridian and its peers are measured through identical
 * settings: the Apache HttpClient 5 transport, a connection per worker thread, and no retries (a failed call counts
 * as an error instead of hiding inside a latency).
 */
public final class SdkClients {
    static final String ACCESS_KEY = "meridian";
    static final String SECRET_KEY = "meridian-local-secret";

    private SdkClients() {}

    static DynamoDbClient dynamo(URI endpoint, String region, int connections) {
        return dynamo(endpoint, region, connections, Duration.ofSeconds(30));
    }

    /** With a bound on each call, and interceptors (e.g. a {@code MeridianSession}). */
    public static DynamoDbClient dynamo(URI endpoint, String region, int connections, Duration callTimeout,
            ExecutionInterceptor... interceptors) {
        return DynamoDbClient.builder()
                .endpointOverride(endpoint)
                .region(Region.of(region))
                .credentialsProvider(credentials())
                .httpClient(httpClient(connections))
                .overrideConfiguration(noRetries(callTimeout, interceptors))
                .build();
    }

    /**
     * An S3 client addressing buckets by path ({@code http://host:port/bucket/key}), the only style a server on
     * 127.0.0.1 can be reached with, and computing or checking checksums only where an operation requires one (so
     * no CRC trailer is added to a PutObject body and no response is rejected for lacking one).
     */
    static S3Client s3(URI endpoint, String region, int connections) {
        return s3(endpoint, region, connections, Duration.ofSeconds(30));
    }

    /** With a bound on each call. */
    public static S3Client s3(URI endpoint, String region, int connections, Duration callTimeout) {
        return S3Client.builder()
                .endpointOverride(endpoint)
                .region(Region.of(region))
                .credentialsProvider(credentials())
                .forcePathStyle(true)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .httpClient(httpClient(connections))
                .overrideConfiguration(noRetries(callTimeout))
                .build();
    }

    private static StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY));
    }

    private static SdkHttpClient httpClient(int connections) {
        return Apache5HttpClient.builder()
                .maxConnections(connections)
                .connectionTimeout(Duration.ofSeconds(2))
                .socketTimeout(Duration.ofSeconds(30))
                .build();
    }

    private static ClientOverrideConfiguration noRetries(Duration callTimeout, ExecutionInterceptor... interceptors) {
        ClientOverrideConfiguration.Builder configuration = ClientOverrideConfiguration.builder()
                .retryStrategy(AwsRetryStrategy.doNotRetry())
                .apiCallTimeout(callTimeout);
        for (ExecutionInterceptor interceptor : interceptors) {
            configuration.addExecutionInterceptor(interceptor);
        }
        return configuration.build();
    }
}
