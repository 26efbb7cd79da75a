package dev.meridian.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meridian.testkit.LocalCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/** kill -9 of a region under write load loses no acknowledged write, and the region catches up after restart. */
class CrashRecoveryTest {
    static final List<String> REGIONS = List.of("us-east-1", "eu-west-1", "ap-southeast-1");
    static final String VICTIM = "eu-west-1";

    @TempDir
    Path dir;

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void killNineUnderLoadLosesNoAcknowledgedWrite() throws Exception {
        try (LocalCluster cluster = LocalCluster.builder().regions(REGIONS).dataRoot(dir).basePort(0).start()) {
            var clients = new ConcurrentHashMap<String, DynamoDbClient>();
            REGIONS.forEach(r -> clients.put(r, Sdk.dynamo(cluster.endpoint(r), r)));
            clients.get("us-east-1").createTable(b -> b.tableName("orders")
                    .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build())
                    .attributeDefinitions(AttributeDefinition.builder().attributeName("pk").attributeType(ScalarAttributeType.S).build())
                .billingMode(BillingMode.PAY_PER_REQUEST));
            for (String region : REGIONS) {
                await().atMost(Duration.ofSeconds(15)).ignoreExceptions()
                        .until(() -> clients.get(region).describeTable(b -> b.tableName("orders")).table() != null);
            }

            Set<String> acknowledged = ConcurrentHashMap.newKeySet();
            var stop = new AtomicBoolean();
            ExecutorService writers = Executors.newFixedThreadPool(REGIONS.size() * 2);
            for (String region : REGIONS) {
                for (int w = 0; w < 2; w++) {
                    String writer = region + "-" + w;
                    writers.submit(() -> {
                        for (int i = 0; !stop.get() && i < 100_000; i++) {
                            String pk = writer + "-" + i;
                            try {
                                clients.get(region).putItem(b -> b.tableName("orders")
                                        .item(Map.of("pk", AttributeValue.fromS(pk))));
                                acknowledged.add(pk);
                            } catch (SdkException e) {
                                // The victim is down: this write was never acknowledged, so it may or may not
                                // exist. Pause rather than spin, so the restarting region gets the CPU.
                                pause();
                            }
                        }
                    });
                }
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> acknowledged.stream().filter(k -> k.startsWith(VICTIM)).count() > 200);
            cluster.kill9(VICTIM);
            Thread.sleep(1_500); // the survivors keep writing while the victim is down
            cluster.restart(VICTIM);
            clients.put(VICTIM, Sdk.dynamo(cluster.endpoint(VICTIM), VICTIM));
            Thread.sleep(1_500);
            stop.set(true);
            writers.shutdown();
            assertThat(writers.awaitTermination(60, TimeUnit.SECONDS)).isTrue();

            assertThat(acknowledged).hasSizeGreaterThan(500);
            for (String region : REGIONS) {
                DynamoDbClient client = clients.get(region);
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                    Set<String> present = ConcurrentHashMap.newKeySet();
                    client.scanPaginator(b -> b.tableName("orders")).items()
                            .forEach(item -> present.add(item.get("pk").s()));
                    assertThat(present).as("acknowledged writes present in %s", region).containsAll(acknowledged);
                });
            }
            clients.values().forEach(DynamoDbClient::close);
        }
    }
}
