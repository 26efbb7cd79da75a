package dev.meridian.bench;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;

/** The benchmark table: a string hash key {@code pk} and one string attribute {@code payload} of a chosen size. */
final class BenchTable {
    static final String NAME = "bench";
    private static final Duration VISIBLE_TIMEOUT = Duration.ofSeconds(30);

    private final String payload;

    BenchTable(int itemBytes) {
        // DynamoDB sizes an item as attribute names plus values; the key is ~20 bytes of the budget.
        this.payload = "x".repeat(Math.max(1, itemBytes - "pk".length() - "payload".length() - 20));
    }

    Map<String, AttributeValue> item(String key) {
        return Map.of("pk", AttributeValue.fromS(key), "payload", AttributeValue.fromS(payload));
    }

    /** The same item as {@link #item}, as attribute name to string value. */
    Map<String, String> attributes(String key) {
        return Map.of("pk", key, "payload", payload);
    }

    static Map<String, AttributeValue> key(String key) {
        return Map.of("pk", AttributeValue.fromS(key));
    }

    /** Creates the table through {@code creator}, then waits until every client sees it ACTIVE. */
    static void create(DynamoDbClient creator, Collection<DynamoDbClient> everywhere) throws InterruptedException {
        creator.createTable(b -> b.tableName(NAME)
                .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build())
                .attributeDefinitions(AttributeDefinition.builder()
                        .attributeName("pk").attributeType(ScalarAttributeType.S).build())
                .billingMode(BillingMode.PAY_PER_REQUEST));
        long deadline = System.nanoTime() + VISIBLE_TIMEOUT.toNanos();
        for (DynamoDbClient client : everywhere) {
            while (!isActive(client)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("table '" + NAME + "' not ACTIVE everywhere after " + VISIBLE_TIMEOUT);
                }
                Thread.sleep(100);
            }
        }
    }

    private static boolean isActive(DynamoDbClient client) {
        try {
            return client.describeTable(b -> b.tableName(NAME)).table().tableStatus() == TableStatus.ACTIVE;
        } catch (SdkException notYet) {
            return false;
        }
    }
}
