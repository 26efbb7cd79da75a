package dev.meridian.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.meridian.client.MeridianSession;
import dev.meridian.core.RegionConfig;
import dev.meridian.testkit.LocalCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * SESSION and GLOBAL reads across three real regions behind the WAN emulator, through the AWS SDK v2 with the
 * {@link MeridianSession} interceptor an application would add.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsistencyModesTest {
    static final String A = "us-east-1";
    static final String B = "eu-west-1";
    static final String C = "ap-southeast-1";
    static final String TABLE = "sessions";

    @TempDir
    Path dir;

    LocalCluster cluster;

    @BeforeAll
    void startCluster() throws InterruptedException {
        cluster = LocalCluster.builder().regions(List.of(A, B, C)).dataRoot(dir).basePort(0)
                .consistency(new RegionConfig.ConsistencySettings(Duration.ofSeconds(2), null, Duration.ofSeconds(1),
                        Duration.ofSeconds(2), null))
                .start();
        try (DynamoDbClient dynamo = Sdk.dynamo(cluster.endpoint(A), A)) {
            dynamo.createTable(b -> b.tableName(TABLE)
                    .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build())
                    .attributeDefinitions(AttributeDefinition.builder().attributeName("pk")
                            .attributeType(ScalarAttributeType.S).build())
                    .billingMode(BillingMode.PAY_PER_REQUEST));
        }
        for (String region : List.of(B, C)) {
            try (DynamoDbClient dynamo = Sdk.dynamo(cluster.endpoint(region), region)) {
                await().atMost(Duration.ofSeconds(15)).ignoreExceptions()
                        .until(() -> dynamo.describeTable(b -> b.tableName(TABLE)).table() != null);
            }
        }
    }

    @AfterAll
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aSessionReadsItsOwnWritesInAnotherRegionAtOnce() {
        var session = new MeridianSession();
        try (DynamoDbClient inA = dynamo(A, session); DynamoDbClient inB = dynamo(B, session)) {
            for (int i = 0; i < 20; i++) {
                String pk = "user-" + i;
                inA.putItem(b -> b.tableName(TABLE).item(item(pk, "logged-in")));
                // 40 ms away, read at once: only the session's token makes B wait for the write.
                assertThat(get(inB, pk)).as(pk).isEqualTo(item(pk, "logged-in"));
            }
        }
        assertThat(session.token()).isPresent();
    }

    @Test
    void aSessionSharedBetweenDynamoDbAndS3AlsoSeesItsObjects() {
        var session = new MeridianSession();
        try (S3Client s3InA = s3(A, session); S3Client s3InB = s3(B, session)) {
            s3InA.createBucket(b -> b.bucket("session-assets"));
            for (int i = 0; i < 5; i++) {
                String key = "avatar-" + i;
                s3InA.putObject(b -> b.bucket("session-assets").key(key), RequestBody.fromString("bytes " + i));
                assertThat(s3InB.getObjectAsBytes(b -> b.bucket("session-assets").key(key)).asUtf8String())
                        .isEqualTo("bytes " + i);
            }
            // A large upload that waits for its session first: its body may not be cut off at the front door's bound.
            s3InA.putObject(b -> b.bucket("session-assets").key("before-large"), RequestBody.fromString("x"));
            byte[] large = new byte[20 << 20];
            new java.util.Random(7).nextBytes(large);
            s3InB.putObject(b -> b.bucket("session-assets").key("large"), RequestBody.fromBytes(large));
            assertThat(s3InA.getObjectAsBytes(b -> b.bucket("session-assets").key("large")).asByteArray())
                    .isEqualTo(large);
        }
    }

    @Test
    void aSessionReadIsServedByAnotherRegionWhenItsOwnCannotCatchUp() {
        var session = new MeridianSession();
        var seen = new SeenHeaders();
        try (DynamoDbClient inA = dynamo(A, session); DynamoDbClient inB = dynamo(B, session, seen)) {
            cluster.wan().cut(A, B);
            try {
                inA.putItem(b -> b.tableName(TABLE).item(item("cut-read", "v1")));
                assertThat(get(inB, "cut-read")).isEqualTo(item("cut-read", "v1"));
                // B never got the write: the read went through C, which has it (A itself is cut off from B).
                assertThat(seen.last("x-meridian-served-by")).isEqualTo(C);
            } finally {
                cluster.wan().heal(A, B);
            }
        }
    }

    @Test
    void aSessionWriteThatCannotCatchUpIsRefusedRetryably() {
        var session = new MeridianSession();
        var attempts = new AtomicInteger();
        ExecutionInterceptor counting = new ExecutionInterceptor() {
            @Override
            public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
                attempts.incrementAndGet();
            }
        };
        try (DynamoDbClient inA = dynamo(A, session);
                DynamoDbClient inB = Sdk.dynamo(cluster.endpoint(B), B, b -> b.retryStrategy(r -> r.maxAttempts(2))
                        .addExecutionInterceptor(session).addExecutionInterceptor(counting))) {
            cluster.wan().cut(A, B);
            try {
                inA.putItem(b -> b.tableName(TABLE).item(item("cut-write", "from A")));
                assertThatThrownBy(() -> inB.putItem(b -> b.tableName(TABLE).item(item("cut-write", "from B"))))
                        .isInstanceOfSatisfying(DynamoDbException.class, e -> {
                            assertThat(e.statusCode()).isEqualTo(503);
                            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ServiceUnavailable");
                        });
                // The SDK's own retry policy takes the 503 as retryable.
                assertThat(attempts).hasValue(2);
            } finally {
                cluster.wan().heal(A, B);
            }
            // Once the link heals (the stream reconnects within its backoff), B catches up and the same session's
            // write goes through, ordered after the one it saw.
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                    .untilAsserted(() -> inB.putItem(b -> b.tableName(TABLE).item(item("cut-write", "from B"))));
            assertThat(get(inA, "cut-write")).isEqualTo(item("cut-write", "from B"));
        }
    }

    @Test
    void aGlobalReadSeesWritesAcknowledgedInAnyRegionBeforeItBegan() {
        try (DynamoDbClient plainA = Sdk.dynamo(cluster.endpoint(A), A);
                DynamoDbClient plainC = Sdk.dynamo(cluster.endpoint(C), C);
                DynamoDbClient globalInB = dynamo(B, new RequestHeaders(Map.of("x-meridian-consistency", "global")))) {
            for (int i = 0; i < 10; i++) {
                String pk = "global-" + i;
                (i % 2 == 0 ? plainA : plainC).putItem(b -> b.tableName(TABLE).item(item(pk, "v" + pk)));
                assertThat(get(globalInB, pk)).as(pk).isEqualTo(item(pk, "v" + pk));
            }
        }
    }

    @Test
    void aGlobalReadNamesTheRegionsItCouldNotReach() {
        var seen = new SeenHeaders();
        try (DynamoDbClient globalInB = dynamo(B, new RequestHeaders(Map.of("x-meridian-consistency", "global")), seen);
                DynamoDbClient plainA = Sdk.dynamo(cluster.endpoint(A), A)) {
            plainA.putItem(b -> b.tableName(TABLE).item(item("global-cut", "v")));
            cluster.wan().cut(B, C);
            try {
                assertThat(get(globalInB, "global-cut")).isEqualTo(item("global-cut", "v"));
                assertThat(seen.last("x-meridian-unreachable")).isEqualTo(C);
            } finally {
                cluster.wan().heal(B, C);
            }
        }
    }

    @Test
    void aTokenMeridianDidNotWriteIsRefusedAsTheApiRefusesBadInput() {
        var badToken = new RequestHeaders(Map.of("x-meridian-consistency", "session", "x-meridian-token", "m1.%%%"));
        try (DynamoDbClient dynamo = dynamo(A, badToken); S3Client s3 = s3(A, badToken)) {
            assertThatThrownBy(() -> get(dynamo, "anything"))
                    .isInstanceOfSatisfying(DynamoDbException.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(400);
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
                    });
            assertThatThrownBy(() -> s3.listObjectsV2(b -> b.bucket("session-assets")))
                    .isInstanceOfSatisfying(S3Exception.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(400);
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidArgument");
                    });
        }
        try (DynamoDbClient dynamo = dynamo(A, new RequestHeaders(Map.of("x-meridian-consistency", "strongest")))) {
            assertThatThrownBy(() -> get(dynamo, "anything"))
                    .isInstanceOfSatisfying(DynamoDbException.class, e -> assertThat(e.statusCode()).isEqualTo(400));
        }
    }

    private DynamoDbClient dynamo(String region, ExecutionInterceptor... interceptors) {
        return Sdk.dynamo(cluster.endpoint(region), region, b -> {
            b.retryStrategy(r -> r.maxAttempts(1));
            for (ExecutionInterceptor interceptor : interceptors) {
                b.addExecutionInterceptor(interceptor);
            }
        });
    }

    private S3Client s3(String region, ExecutionInterceptor... interceptors) {
        return Sdk.s3(cluster.endpoint(region), region, b -> {
            b.retryStrategy(r -> r.maxAttempts(1));
            for (ExecutionInterceptor interceptor : interceptors) {
                b.addExecutionInterceptor(interceptor);
            }
        });
    }

    private static Map<String, AttributeValue> get(DynamoDbClient client, String pk) {
        return client.getItem(b -> b.tableName(TABLE).key(Map.of("pk", AttributeValue.fromS(pk)))).item();
    }

    private static Map<String, AttributeValue> item(String pk, String value) {
        return Map.of("pk", AttributeValue.fromS(pk), "value", AttributeValue.fromS(value));
    }

    /** Adds fixed headers to every request, as a client asking for a consistency mode by hand would. */
    private record RequestHeaders(Map<String, String> headers) implements ExecutionInterceptor {
        @Override
        public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
            SdkHttpRequest.Builder request = context.httpRequest().toBuilder();
            headers.forEach(request::putHeader);
            return request.build();
        }
    }

    /** Keeps the headers of the last response. */
    private static final class SeenHeaders implements ExecutionInterceptor {
        private final Map<String, String> last = new ConcurrentHashMap<>();

        @Override
        public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
            last.clear();
            context.httpResponse().headers().forEach((name, values) -> last.put(name.toLowerCase(), values.get(0)));
        }

        String last(String header) {
            return last.get(header);
        }
    }
}
