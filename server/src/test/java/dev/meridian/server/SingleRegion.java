package dev.meridian.server;

import dev.meridian.testkit.LocalCluster;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** One real region process and an SDK client for it, for tests of the API rather than of replication. */
final class SingleRegion implements AutoCloseable {
    static final String NAME = "us-east-1";

    final LocalCluster cluster;
    final DynamoDbClient client;

    private SingleRegion(LocalCluster cluster) {
        this.cluster = cluster;
        this.client = Sdk.dynamo(cluster.endpoint(NAME), NAME);
    }

    static SingleRegion start(Path dataRoot) throws InterruptedException {
        return new SingleRegion(LocalCluster.builder().regions(List.of(NAME)).dataRoot(dataRoot).basePort(0).start());
    }

    URI endpoint() {
        return cluster.endpoint(NAME);
    }

    @Override
    public void close() {
        client.close();
        cluster.close();
    }
}
