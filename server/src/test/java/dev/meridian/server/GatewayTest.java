package dev.meridian.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meridian.gateway.Gateway;
import dev.meridian.gateway.GatewayConfig;
import dev.meridian.gateway.RegionTarget;
import dev.meridian.gateway.proxy.ProxyService;
import dev.meridian.server.cli.StatusCommand;
import dev.meridian.testkit.LocalCluster;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * The gateway in front of three real regions, with the AWS SDK pointed at it alone: signed requests pass through,
 * a client stays in one region, and when that region is killed its reads move at once and its traffic comes back
 * after the region recovers.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GatewayTest {
    private static final List<String> REGIONS = List.of("us-east-1", "eu-west-1", "ap-southeast-1");

    @TempDir
    static Path dir;

    LocalCluster cluster;
    Gateway gateway;
    URI endpoint;
    Gateway caching;

    @BeforeAll
    void start() throws Exception {
        cluster = LocalCluster.builder().regions(REGIONS).dataRoot(dir).basePort(0).start();
        gateway = Gateway.start(GatewayConfig.of(0,
                REGIONS.stream().map(r -> new RegionTarget(r, cluster.endpoint(r))).toList()));
        endpoint = URI.create("http://127.0.0.1:" + gateway.port());
        caching = Gateway.start(GatewayConfig.of(0,
                REGIONS.stream().map(r -> new RegionTarget(r, cluster.endpoint(r))).toList())
                .withCache(dir.resolve("edge-cache")));
    }

    @AfterAll
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (caching != null) {
            caching.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void signedDynamoDbAndS3RequestsPassThroughAndOneClientStaysInOneRegion() {
        ServedBy servedBy = new ServedBy();
        DynamoDbClient dynamo = Sdk.dynamo(endpoint, "us-east-1", c -> c.addExecutionInterceptor(servedBy));
        createTable(dynamo, "gateway-basics");
        for (int i = 0; i < 5; i++) {
            dynamo.putItem(b -> b.tableName("gateway-basics").item(item("k" + 0, "v")));
        }
        assertThat(dynamo.getItem(b -> b.tableName("gateway-basics").key(key("k0")).consistentRead(true)).item())
                .isEqualTo(item("k0", "v"));

        S3Client s3 = Sdk.s3(endpoint, "us-east-1", c -> c.addExecutionInterceptor(servedBy));
        s3.createBucket(b -> b.bucket("gateway-assets"));
        byte[] body = new byte[3 * 1024 * 1024 + 17];
        new Random(7).nextBytes(body);
        s3.putObject(b -> b.bucket("gateway-assets").key("big.bin"), RequestBody.fromBytes(body));
        ResponseBytes<GetObjectResponse> got = s3.getObjectAsBytes(b -> b.bucket("gateway-assets").key("big.bin"));
        assertThat(got.asByteArray()).isEqualTo(body);

        assertThat(servedBy.regions).hasSizeGreaterThanOrEqualTo(10);
        assertThat(servedBy.regions.stream().distinct()).hasSize(1);
    }

    @Test
    void killingTheServingRegionMovesReadsAtOnceAndTrafficReturnsWhenItRecovers() throws Exception {
        ServedBy servedBy = new ServedBy();
        // No SDK retries: a read that survives the kill does so because the gateway retried it.
        DynamoDbClient dynamo = Sdk.dynamo(endpoint, "us-east-1", c -> c.addExecutionInterceptor(servedBy)
                .retryStrategy(AwsRetryStrategy.doNotRetry()));
        createTable(dynamo, "gateway-failover");
        dynamo.putItem(b -> b.tableName("gateway-failover").item(item("k", "before")));
        String home = read(dynamo, servedBy);
        await().atMost(10, TimeUnit.SECONDS).until(() -> everyRegionHas("gateway-failover"));

        cluster.kill9(home);
        long killed = System.nanoTime();
        String elsewhere = read(dynamo, servedBy);
        long rerouteMillis = (System.nanoTime() - killed) / 1_000_000;
        assertThat(elsewhere).isNotEqualTo(home);
        System.out.printf("gateway: first read after kill -9 of %s served by %s after %d ms%n", home, elsewhere,
                rerouteMillis);
        assertThat(rerouteMillis).isLessThan(3_000);
        for (int i = 0; i < 20; i++) {
            assertThat(read(dynamo, servedBy)).isEqualTo(elsewhere);
        }
        dynamo.putItem(b -> b.tableName("gateway-failover").item(item("k", "during")));

        cluster.restart(home);
        await().atMost(120, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(250))
                .until(() -> read(dynamo, servedBy).equals(home));
        await().atMost(30, TimeUnit.SECONDS).until(() -> dynamo.getItem(b -> b.tableName("gateway-failover")
                .key(key("k"))).item().get("v").s().equals("during"));
    }

    @Test
    void meridianStatusShowsTheGatewaysViewOfEachRegion() {
        Sdk.dynamo(endpoint, "us-east-1").listTables();
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        int exit;
        try {
            exit = new CommandLine(new StatusCommand()).execute("--endpoints", REGIONS.stream()
                    .map(r -> cluster.endpoint(r).toString()).collect(Collectors.joining(",")),
                    "--gateway", endpoint.toString());
        } finally {
            System.setOut(original);
        }
        String output = captured.toString(StandardCharsets.UTF_8);
        assertThat(output).contains("GATEWAY " + endpoint);
        for (String region : REGIONS) {
            assertThat(output).containsPattern(region + "\\s+IN\\s+yes");
        }
        assertThat(exit).isZero();
    }

    @Test
    void metricsCountRequestsPerRegion() throws Exception {
        Sdk.dynamo(endpoint, "us-east-1").listTables();
        HttpResponse<String> metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                endpoint.resolve(Gateway.ADMIN + "metrics")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).containsPattern("meridian_gateway_requests_total\\{region=\"[a-z0-9-]+\","
                + "status=\"success\"} [1-9]");
        assertThat(metrics.body()).contains("meridian_gateway_region_in{region=\"eu-west-1\"} 1.0");
    }

    @Test
    void publicObjectsAreServedFromTheEdgeCacheUntilInvalidated() throws Exception {
        URI edge = URI.create("http://127.0.0.1:" + caching.port());
        LastResponse last = new LastResponse();
        S3Client s3 = Sdk.s3(edge, "us-east-1", c -> c.addExecutionInterceptor(last));
        s3.createBucket(b -> b.bucket("edge-assets"));
        byte[] logo = new byte[200 * 1024];
        new Random(11).nextBytes(logo);
        s3.putObject(b -> b.bucket("edge-assets").key("logo.png").cacheControl("public, max-age=300"),
                RequestBody.fromBytes(logo));
        s3.putObject(b -> b.bucket("edge-assets").key("private.txt"), RequestBody.fromString("mine"));

        assertThat(s3.getObjectAsBytes(b -> b.bucket("edge-assets").key("logo.png")).asByteArray()).isEqualTo(logo);
        assertThat(last.header("x-cache")).isEqualTo("Miss from meridian");
        assertThat(s3.getObjectAsBytes(b -> b.bucket("edge-assets").key("logo.png")).asByteArray()).isEqualTo(logo);
        assertThat(last.header("x-cache")).isEqualTo("Hit from meridian");
        assertThat(s3.getObjectAsBytes(b -> b.bucket("edge-assets").key("logo.png").range("bytes=100-199"))
                .asByteArray()).isEqualTo(java.util.Arrays.copyOfRange(logo, 100, 200));
        assertThat(last.header("x-cache")).isEqualTo("Hit from meridian");
        // Signed and not marked public: a shared cache must not hand it to anyone else.
        s3.getObjectAsBytes(b -> b.bucket("edge-assets").key("private.txt"));
        assertThat(s3.getObjectAsBytes(b -> b.bucket("edge-assets").key("private.txt")).asUtf8String())
                .isEqualTo("mine");
        assertThat(last.header("x-cache")).isNotEqualTo("Hit from meridian");

        HttpResponse<String> invalidated = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        edge.resolve(Gateway.ADMIN + "invalidations"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"Paths\":[\"/edge-assets/*\"]}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(invalidated.statusCode()).isEqualTo(201);
        s3.getObjectAsBytes(b -> b.bucket("edge-assets").key("logo.png"));
        assertThat(last.header("x-cache")).isEqualTo("Miss from meridian");
    }

    private String read(DynamoDbClient dynamo, ServedBy servedBy) {
        dynamo.getItem(b -> b.tableName("gateway-failover").key(key("k")));
        return servedBy.regions.get(servedBy.regions.size() - 1);
    }

    private boolean everyRegionHas(String table) {
        for (String region : REGIONS) {
            DynamoDbClient direct = Sdk.dynamo(cluster.endpoint(region), region);
            if (direct.getItem(b -> b.tableName(table).key(key("k"))).item().isEmpty()) {
                return false;
            }
        }
        return true;
    }

    private static void createTable(DynamoDbClient dynamo, String name) {
        dynamo.createTable(b -> b.tableName(name).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(a -> a.attributeName("id").attributeType(ScalarAttributeType.S))
                .keySchema(k -> k.attributeName("id").keyType(KeyType.HASH)));
        dynamo.waiter().waitUntilTableExists(b -> b.tableName(name));
    }

    private static Map<String, AttributeValue> key(String id) {
        return Map.of("id", AttributeValue.fromS(id));
    }

    private static Map<String, AttributeValue> item(String id, String value) {
        return Map.of("id", AttributeValue.fromS(id), "v", AttributeValue.fromS(value));
    }

    /** The headers of the last response a client received. */
    private static final class LastResponse implements ExecutionInterceptor {
        volatile software.amazon.awssdk.http.SdkHttpResponse response;

        @Override
        public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
            response = context.httpResponse();
        }

        String header(String name) {
            return response.firstMatchingHeader(name).orElse(null);
        }
    }

    /** Records which region answered each call, from the gateway's response header. */
    private static final class ServedBy implements ExecutionInterceptor {
        final List<String> regions = new CopyOnWriteArrayList<>();

        @Override
        public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
            context.httpResponse().firstMatchingHeader(ProxyService.SERVED_BY).ifPresent(regions::add);
        }
    }
}
