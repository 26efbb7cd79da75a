package dev.meridian.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.testkit.LocalCluster;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The replication benchmark's load generator against a real region: its requests are accepted and land. */
class SignedWriteClientTest {
    private static final String REGION = "us-east-1";

    @TempDir
    Path dir;

    @Test
    void putItemAndBatchWriteItemAreSignedAcceptedAndStored() throws Exception {
        try (LocalCluster cluster = LocalCluster.builder().regions(REGION).dataRoot(dir).start();
                DynamoDbClient sdk = SdkClients.dynamo(cluster.endpoint(REGION), REGION, 1);
                SignedWriteClient client = new SignedWriteClient(cluster.endpoint(REGION), REGION)) {
            BenchTable.create(sdk, List.of(sdk));

            client.putItem(BenchTable.NAME, Map.of("pk", "single", "payload", "p")).join();
            client.batchWriteItem(BenchTable.NAME, List.of(
                    Map.of("pk", "batch-1", "payload", "b1"),
                    Map.of("pk", "batch-2", "payload", "b2"))).join();

            for (String key : List.of("single", "batch-1", "batch-2")) {
                var item = sdk.getItem(b -> b.tableName(BenchTable.NAME).key(BenchTable.key(key))).item();
                assertThat(item).containsKey("payload");
            }
            assertThat(sdk.getItem(b -> b.tableName(BenchTable.NAME).key(BenchTable.key("batch-2"))).item())
                    .containsEntry("payload", AttributeValue.fromS("b2"));
            assertThatThrownBy(() -> client.putItem("no-such-table", Map.of("pk", "x")).join())
                    .isInstanceOf(CompletionException.class)
                    .hasMessageContaining("ResourceNotFoundException");
        }
    }
}
