package dev.meridian.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/** The DynamoDB operations through the real SDK v2, so every response shape is parsed by the SDK itself. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TablesSdkTest {
    @TempDir
    Path dir;

    SingleRegion region;
    DynamoDbClient client;

    @BeforeAll
    void start() throws InterruptedException {
        region = SingleRegion.start(dir);
        client = region.client;
        client.createTable(b -> b.tableName("orders")
                .keySchema(KeySchemaElement.builder().attributeName("customer").keyType(KeyType.HASH).build(),
                        KeySchemaElement.builder().attributeName("placed").keyType(KeyType.RANGE).build())
                .attributeDefinitions(
                        AttributeDefinition.builder().attributeName("customer").attributeType(ScalarAttributeType.S).build(),
                        AttributeDefinition.builder().attributeName("placed").attributeType(ScalarAttributeType.N).build())
                .billingMode(BillingMode.PAY_PER_REQUEST));
        client.waiter().waitUntilTableExists(b -> b.tableName("orders"));
    }

    @AfterAll
    void stop() {
        region.close();
    }

    static Map<String, AttributeValue> order(String customer, String placed, int price) {
        return Map.of("customer", AttributeValue.fromS(customer), "placed", AttributeValue.fromN(placed),
                "price", AttributeValue.fromN(Integer.toString(price)));
    }

    /**
     * The SDKs keep an idle connection pooled for 60 s and send on it again; a server that closed it meanwhile (after
     * Armeria's default 15 s) can race the next request and reset it.
     */
    @Test
    void anIdleKeepAliveConnectionIsStillServedTwentySecondsLater() throws IOException, InterruptedException {
        URI endpoint = region.endpoint();
        try (Socket socket = new Socket(endpoint.getHost(), endpoint.getPort())) {
            socket.setSoTimeout(10_000);
            assertThat(health(socket)).startsWith("HTTP/1.1 200");
            Thread.sleep(20_000);
            assertThat(health(socket)).startsWith("HTTP/1.1 200");
        }
    }

    /** Sends GET /health on {@code socket}; returns the answer's head, once its body (of Content-Length) is read. */
    private static String health(Socket socket) throws IOException {
        socket.getOutputStream().write("GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
        InputStream in = socket.getInputStream();
        var head = new StringBuilder();
        int b;
        while (!head.toString().endsWith("\r\n\r\n") && (b = in.read()) >= 0) {
            head.append((char) b);
        }
        var length = Pattern.compile("(?im)^content-length:\\s*(\\d+)").matcher(head);
        if (length.find()) {
            in.readNBytes(Integer.parseInt(length.group(1)));
        }
        return head.toString();
    }

    @Test
    void describeTableReportsTheSchemaAsTheSdkModelsIt() {
        var table = client.describeTable(b -> b.tableName("orders")).table();
        assertThat(table.tableStatus()).isEqualTo(TableStatus.ACTIVE);
        assertThat(table.keySchema()).extracting(KeySchemaElement::attributeName).containsExactly("customer", "placed");
        assertThat(table.tableArn()).isEqualTo("arn:aws:dynamodb:us-east-1:000000000000:table/orders");
        assertThat(client.listTables().tableNames()).contains("orders");
    }

    @Test
    void queryPagesThroughSortKeysInNumericOrderBothWays() {
        for (String placed : List.of("10", "-2.5", "3", "100", "0.5", "7")) {
            client.putItem(b -> b.tableName("orders").item(order("ann", placed, 1)));
        }
        var forward = new ArrayList<String>();
        client.queryPaginator(b -> b.tableName("orders").keyConditionExpression("customer = :c")
                        .expressionAttributeValues(Map.of(":c", AttributeValue.fromS("ann"))).limit(2))
                .items().forEach(item -> forward.add(item.get("placed").n()));
        assertThat(forward).containsExactly("-2.5", "0.5", "3", "7", "10", "100");

        var between = client.query(b -> b.tableName("orders").scanIndexForward(false)
                .keyConditionExpression("customer = :c AND placed BETWEEN :lo AND :hi")
                .expressionAttributeValues(Map.of(":c", AttributeValue.fromS("ann"),
                        ":lo", AttributeValue.fromN("0"), ":hi", AttributeValue.fromN("10"))));
        assertThat(between.items()).extracting(item -> item.get("placed").n()).containsExactly("10", "7", "3", "0.5");
        assertThat(between.count()).isEqualTo(4);
    }

    @Test
    void updateItemArithmeticSetsAndReturnValues() {
        client.putItem(b -> b.tableName("orders").item(order("bob", "1", 10)));
        var updated = client.updateItem(b -> b.tableName("orders")
                .key(Map.of("customer", AttributeValue.fromS("bob"), "placed", AttributeValue.fromN("1")))
                .updateExpression("SET price = price + :inc, #s = if_not_exists(#s, :new) ADD tags :tags REMOVE leftover")
                .expressionAttributeNames(Map.of("#s", "status"))
                .expressionAttributeValues(Map.of(":inc", AttributeValue.fromN("2.5"), ":new", AttributeValue.fromS("open"),
                        ":tags", AttributeValue.fromSs(List.of("gift", "rush"))))
                .returnValues(ReturnValue.ALL_NEW)
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
        assertThat(updated.attributes().get("price").n()).isEqualTo("12.5");
        assertThat(updated.attributes().get("status").s()).isEqualTo("open");
        assertThat(updated.attributes().get("tags").ss()).containsExactlyInAnyOrder("gift", "rush");
        assertThat(updated.consumedCapacity().tableName()).isEqualTo("orders");
        assertThat(updated.consumedCapacity().capacityUnits()).isPositive();
    }

    @Test
    void failedConditionCanReturnTheItemItWasCheckedAgainst() {
        client.putItem(b -> b.tableName("orders").item(order("cat", "1", 5)));
        assertThatThrownBy(() -> client.putItem(b -> b.tableName("orders").item(order("cat", "1", 6))
                        .conditionExpression("attribute_not_exists(customer)")
                        .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)))
                .isInstanceOfSatisfying(ConditionalCheckFailedException.class,
                        e -> assertThat(e.item().get("price").n()).isEqualTo("5"));
    }

    @Test
    void batchWriteThenBatchGetThroughTheSdk() {
        var writes = new ArrayList<WriteRequest>();
        for (int i = 0; i < 25; i++) {
            writes.add(WriteRequest.builder().putRequest(PutRequest.builder().item(order("dan", Integer.toString(i), i)).build()).build());
        }
        var written = client.batchWriteItem(b -> b.requestItems(Map.of("orders", writes)));
        assertThat(written.unprocessedItems()).isEmpty();
        var keys = new ArrayList<Map<String, AttributeValue>>();
        for (int i = 0; i < 25; i += 5) {
            keys.add(Map.of("customer", AttributeValue.fromS("dan"), "placed", AttributeValue.fromN(Integer.toString(i))));
        }
        var read = client.batchGetItem(b -> b.requestItems(Map.of("orders", KeysAndAttributes.builder().keys(keys)
                .projectionExpression("placed, #t").expressionAttributeNames(Map.of("#t", "price")).build())));
        assertThat(read.responses().get("orders")).hasSize(5)
                .allSatisfy(item -> assertThat(item).containsOnlyKeys("placed", "price"));
        assertThat(read.unprocessedKeys()).isEmpty();
        var counted = client.scan(b -> b.tableName("orders").filterExpression("customer = :c AND price >= :min")
                .expressionAttributeValues(Map.of(":c", AttributeValue.fromS("dan"), ":min", AttributeValue.fromN("20")))
                .select("COUNT"));
        assertThat(counted.count()).isEqualTo(5);
    }
}
