package dev.meridian.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meridian.control.ControlSettings;
import dev.meridian.control.Witness;
import dev.meridian.testkit.DelayMatrix;
import dev.meridian.testkit.LocalCluster;
import dev.meridian.testkit.QuietPorts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.MultiRegionConsistency;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * A strong table in two regions and a witness (`meridian witness`, without the SQL layer): the witness only votes and
 * decides, so the table keeps taking strong writes when either region is lost.
 */
class StrongTablesWitnessTest {
    @TempDir
    Path dir;

    @Test
    void twoRegionsAndAWitnessKeepWritingWhenOneRegionIsKilled() throws Exception {
        int witnessPort = QuietPorts.pickOne();
        String a = "us-east-1";
        String b = "eu-west-1";
        try (LocalCluster cluster = LocalCluster.builder().dataRoot(dir).regions(a, b).basePort(0)
                .delays(DelayMatrix.uniform(Duration.ofMillis(30))).controlPlane().witness(witnessPort).start();
                Witness witness = Witness.start(new ControlSettings(LocalCluster.WITNESS, dir.resolve("witness"),
                        Map.of(a, cluster.controlAddress(a), b, cluster.controlAddress(b)), witnessPort,
                        List.of(a, b, LocalCluster.WITNESS), null));
                DynamoDbClient inA = Sdk.dynamo(cluster.endpoint(a), a);
                DynamoDbClient inB = Sdk.dynamo(cluster.endpoint(b), b)) {
            inA.createTable(t -> t.tableName("wallet")
                    .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build())
                    .attributeDefinitions(AttributeDefinition.builder().attributeName("pk")
                            .attributeType(ScalarAttributeType.S).build())
                    .billingMode(BillingMode.PAY_PER_REQUEST));
            await().atMost(Duration.ofSeconds(15)).ignoreExceptions()
                    .until(() -> inB.describeTable(t -> t.tableName("wallet")).table() != null);
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> inA
                    .updateTable(t -> t.tableName("wallet").multiRegionConsistency(MultiRegionConsistency.STRONG))
                    .tableDescription().multiRegionConsistency() == MultiRegionConsistency.STRONG);
            await().atMost(Duration.ofSeconds(10)).until(() -> inB.describeTable(t -> t.tableName("wallet")).table()
                    .multiRegionConsistency() == MultiRegionConsistency.STRONG);
            put(inA, "1");
            assertThat(consistentGet(inB)).isEqualTo("1");

            cluster.kill9(a);
            // b and the witness are a majority: after an election if a led, b's strong writes go on.
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> put(inB, "2"));
            assertThat(consistentGet(inB)).isEqualTo("2");

            cluster.restart(a);
            // The restarted region catches up from the log: a strongly consistent read there sees b's write.
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                    .until(() -> "2".equals(consistentGet(inA)));
        }
    }

    private static void put(DynamoDbClient client, String balance) {
        client.putItem(p -> p.tableName("wallet")
                .item(Map.of("pk", AttributeValue.fromS("alice"), "balance", AttributeValue.fromN(balance))));
    }

    private static String consistentGet(DynamoDbClient client) {
        return client.getItem(g -> g.tableName("wallet").key(Map.of("pk", AttributeValue.fromS("alice")))
                .consistentRead(true)).item().get("balance").n();
    }
}
