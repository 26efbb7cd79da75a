package dev.meridian.bench.faults;

import dev.meridian.bench.SdkClients;
import dev.meridian.testkit.LocalCluster;
import dev.meridian.testkit.history.History;
import dev.meridian.testkit.history.Operation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.MultiRegionConsistency;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * Clients of a strong table (MultiRegionConsistency STRONG), through the AWS SDK without retries, recording every
 * call for the linearizability check: strongly consistent reads, blind puts, deletes, and compare-and-set puts
 * (conditional on the value the client last read) of a few keys, each in a random region. A refused compare-and-set
 * hands back the item it was checked against, recorded as a read. Keys change every {@link #KEY_LIFETIME} so each
 * key's history stays small enough to search.
 *
 * <p>Outcomes: a 4xx changed nothing; a 503 from a strong write may still have been agreed (its proposal may have
 * reached the leader), so unlike the eventual workload it counts as unknown.
 */
final class StrongWorkload {
    static final String TABLE = "strong-faults";
    static final String PREFIX = "s";
    private static final int KEYS = 4;
    private static final Duration KEY_LIFETIME = Duration.ofSeconds(20);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

    private final LocalCluster cluster;
    private final History history;
    private final long seed;
    private final List<DynamoDbClient> clients = new ArrayList<>();

    StrongWorkload(LocalCluster cluster, History history, long seed) {
        this.cluster = cluster;
        this.history = history;
        this.seed = seed;
    }

    /** Creates the table, waits until every region has it, then makes it strong (retried through an election). */
    void createTable() throws InterruptedException {
        Map<String, DynamoDbClient> inRegion = clientsPerRegion();
        DynamoDbClient first = inRegion.get(cluster.regions().get(0));
        first.createTable(b -> b.tableName(TABLE)
                .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build())
                .attributeDefinitions(AttributeDefinition.builder().attributeName("pk")
                        .attributeType(ScalarAttributeType.S).build())
                .billingMode(BillingMode.PAY_PER_REQUEST));
        Everywhere.await(inRegion.values(), client -> describe(client) != null, "table " + TABLE);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            try {
                first.updateTable(b -> b.tableName(TABLE).multiRegionConsistency(MultiRegionConsistency.STRONG));
                break;
            } catch (DynamoDbException | SdkClientException e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the strong log did not agree within 60 s: " + e.getMessage(), e);
                }
                Thread.sleep(500);
            }
        }
        Everywhere.await(inRegion.values(), client -> describe(client) == MultiRegionConsistency.STRONG,
                "table " + TABLE + " strong");
    }

    /** One client: its calls never overlap, as the checker's processes must not. */
    Callable<Void> client(int index, long deadline) {
        String process = "strong-" + index;
        Map<String, DynamoDbClient> inRegion = clientsPerRegion();
        var random = new Random(seed * 37 + index);
        var lastSeen = new HashMap<String, String>();
        long start = System.nanoTime();
        return () -> {
            for (long n = 0; System.nanoTime() < deadline; n++) {
                String region = cluster.regions().get(random.nextInt(cluster.regions().size()));
                long generation = (System.nanoTime() - start) / KEY_LIFETIME.toNanos();
                String key = PREFIX + random.nextInt(KEYS) + "-" + generation;
                DynamoDbClient client = inRegion.get(region);
                int action = random.nextInt(20);
                String value = process + "-" + n;
                if (action < 9) {
                    lastSeen.put(key, read(process, client, region, key));
                } else if (action < 13) {
                    write(process, client, region, key, value);
                } else if (action < 14) {
                    delete(process, client, region, key);
                } else {
                    compareAndSet(process, client, region, key, lastSeen.get(key), value);
                }
                Thread.sleep(5 + random.nextInt(20));
            }
            return null;
        };
    }

    /** Each region's strong table, key to value, read with a plain Scan. */
    Map<String, Map<String, String>> contents() {
        return TableWorkload.contents(clientsPerRegion(), TABLE);
    }

    private String read(String process, DynamoDbClient client, String region, String key) {
        long start = System.nanoTime();
        try {
            Map<String, AttributeValue> item = client.getItem(b -> b.tableName(TABLE).key(key(key))
                    .consistentRead(true)).item();
            String value = item.isEmpty() ? null : item.get("v").s();
            history.record(process, region, Operation.Kind.READ, key, value, start, Operation.Outcome.OK);
            return value;
        } catch (AwsServiceException | SdkClientException e) {
            history.record(process, region, Operation.Kind.READ, key, null, start, Operation.Outcome.FAILED);
            return null;
        }
    }

    private void write(String process, DynamoDbClient client, String region, String key, String value) {
        long start = System.nanoTime();
        try {
            client.putItem(b -> b.tableName(TABLE).item(item(key, value)));
            history.record(process, region, Operation.Kind.WRITE, key, value, start, Operation.Outcome.OK);
        } catch (AwsServiceException | SdkClientException e) {
            history.record(process, region, Operation.Kind.WRITE, key, value, start, outcome(e));
        }
    }

    private void delete(String process, DynamoDbClient client, String region, String key) {
        long start = System.nanoTime();
        try {
            client.deleteItem(b -> b.tableName(TABLE).key(key(key)));
            history.record(process, region, Operation.Kind.DELETE, key, null, start, Operation.Outcome.OK);
        } catch (AwsServiceException | SdkClientException e) {
            history.record(process, region, Operation.Kind.DELETE, key, null, start, outcome(e));
        }
    }

    /** Puts {@code value} if the key holds {@code expected} (null: if it is absent). */
    private void compareAndSet(String process, DynamoDbClient client, String region, String key, String expected,
            String value) {
        long start = System.nanoTime();
        try {
            client.putItem(b -> {
                b.tableName(TABLE).item(item(key, value))
                        .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD);
                if (expected == null) {
                    b.conditionExpression("attribute_not_exists(pk)");
                } else {
                    b.conditionExpression("v = :expected")
                            .expressionAttributeValues(Map.of(":expected", AttributeValue.fromS(expected)));
                }
            });
            history.recordConditional(process, region, key, expected, value, start, Operation.Outcome.OK);
        } catch (ConditionalCheckFailedException refused) {
            // Checked against the item it hands back, at a moment within the call: a read of it.
            Map<String, AttributeValue> item = refused.item();
            String seen = item == null || item.isEmpty() ? null : item.get("v").s();
            history.recordConditional(process, region, key, expected, value, start, Operation.Outcome.FAILED);
            history.record(process + "-refusal", region, Operation.Kind.READ, key, seen, start, Operation.Outcome.OK);
        } catch (AwsServiceException | SdkClientException e) {
            history.recordConditional(process, region, key, expected, value, start, outcome(e));
        }
    }

    /** A 4xx changed nothing; a 503 or no answer may have been agreed all the same. */
    private static Operation.Outcome outcome(Exception e) {
        return e instanceof AwsServiceException service && service.statusCode() >= 400 && service.statusCode() < 500
                ? Operation.Outcome.FAILED : Operation.Outcome.UNKNOWN;
    }

    private static Map<String, AttributeValue> key(String key) {
        return Map.of("pk", AttributeValue.fromS(key));
    }

    private static Map<String, AttributeValue> item(String key, String value) {
        return Map.of("pk", AttributeValue.fromS(key), "v", AttributeValue.fromS(value));
    }

    private static MultiRegionConsistency describe(DynamoDbClient client) {
        try {
            return client.describeTable(b -> b.tableName(TABLE)).table().multiRegionConsistency();
        } catch (DynamoDbException | SdkClientException e) {
            return null;
        }
    }

    private Map<String, DynamoDbClient> clientsPerRegion() {
        var byRegion = new HashMap<String, DynamoDbClient>();
        for (String region : cluster.regions()) {
            DynamoDbClient client = SdkClients.dynamo(cluster.endpoint(region), region, 2, CALL_TIMEOUT);
            synchronized (clients) {
                clients.add(client);
            }
            byRegion.put(region, client);
        }
        return byRegion;
    }

    /** Closes every client made. */
    void close() {
        synchronized (clients) {
            clients.forEach(DynamoDbClient::close);
        }
    }
}
