package dev.meridian.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.RequestHeadersBuilder;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * PutItem and BatchWriteItem as plain asynchronous HTTP/1.1 calls, signed by the AWS SDK's own SigV4 signer. The replication
 * benchmark drives thousands of writes a second on the same two cores as the regions it measures; the SDK's
 * synchronous client spends close to a millisecond of CPU per call there (its request pipeline, a thread per
 * connection), which would starve the servers. The wire request is the one the SDK sends: same headers, same
 * signature, same JSON.
 */
final class SignedWriteClient implements AutoCloseable {
    private static final String TARGET_PREFIX = "DynamoDB_20120810.";
    private static final MediaType AMZ_JSON = MediaType.parse("application/x-amz-json-1.0");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI endpoint;
    private final String region;
    private final ClientFactory factory;
    private final WebClient client;
    private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();
    private final AwsCredentialsIdentity credentials =
            AwsCredentialsIdentity.create(SdkClients.ACCESS_KEY, SdkClients.SECRET_KEY);

    SignedWriteClient(URI endpoint, String region) {
        this.endpoint = endpoint;
        this.region = region;
        this.factory = ClientFactory.builder().connectTimeout(Duration.ofSeconds(2)).build();
        // h1c: HTTP/1.1 without an HTTP/2 upgrade, one request per connection at a time, as the SDK's clients do.
        this.client = WebClient.builder("h1c://" + endpoint.getHost() + ":" + endpoint.getPort())
                .factory(factory)
                .responseTimeout(Duration.ofSeconds(30))
                .build();
    }

    /** Writes {@code item} (attribute name to string value) to {@code table}; fails on any answer but 200. */
    CompletableFuture<Void> putItem(String table, Map<String, String> item) {
        ObjectNode request = JSON.createObjectNode().put("TableName", table);
        request.set("Item", itemNode(item));
        return call("PutItem", request).thenAccept(answer -> { });
    }

    /**
     * Writes {@code items} to {@code table} in one call; fails on any answer but 200 and when the region hands any
     * item back as unprocessed.
     */
    CompletableFuture<Void> batchWriteItem(String table, List<Map<String, String>> items) {
        ObjectNode request = JSON.createObjectNode();
        var writes = request.putObject("RequestItems").putArray(table);
        for (Map<String, String> item : items) {
            writes.addObject().putObject("PutRequest").set("Item", itemNode(item));
        }
        return call("BatchWriteItem", request).thenAccept(answer -> {
            JsonNode unprocessed = answer.path("UnprocessedItems");
            if (!unprocessed.isEmpty()) {
                throw new IllegalStateException("BatchWriteItem left items unprocessed: " + unprocessed);
            }
        });
    }

    private CompletableFuture<JsonNode> call(String operation, ObjectNode request) {
        byte[] body = bytes(request);
        HttpRequest http = HttpRequest.of(signedHeaders(operation, body), HttpData.wrap(body));
        return client.execute(http).aggregate().thenApply(response -> {
            if (response.status().code() != 200) {
                throw new IllegalStateException(operation + " answered " + response.status() + ": " + response.contentUtf8());
            }
            try {
                return JSON.readTree(response.content().array());
            } catch (IOException e) {
                throw new IllegalStateException(operation + " answered malformed JSON: " + response.contentUtf8(), e);
            }
        });
    }

    private RequestHeaders signedHeaders(String operation, byte[] body) {
        SdkHttpRequest unsigned = SdkHttpRequest.builder()
                .method(SdkHttpMethod.POST)
                .uri(endpoint.resolve("/"))
                .putHeader("X-Amz-Target", TARGET_PREFIX + operation)
                .putHeader("Content-Type", AMZ_JSON.toString())
                .build();
        SdkHttpRequest signed = signer.sign(r -> r.identity(credentials)
                        .request(unsigned)
                        .payload(ContentStreamProvider.fromByteArray(body))
                        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "dynamodb")
                        .putProperty(AwsV4HttpSigner.REGION_NAME, region))
                .request();
        RequestHeadersBuilder headers = RequestHeaders.builder(HttpMethod.POST, "/");
        for (Map.Entry<String, List<String>> header : signed.headers().entrySet()) {
            if (!header.getKey().equalsIgnoreCase("Host")) { // the client sets the same Host itself
                headers.add(header.getKey(), header.getValue());
            }
        }
        return headers.contentType(AMZ_JSON).build();
    }

    private static ObjectNode itemNode(Map<String, String> item) {
        ObjectNode attributes = JSON.createObjectNode();
        item.forEach((name, value) -> attributes.putObject(name).put("S", value));
        return attributes;
    }

    private static byte[] bytes(ObjectNode request) {
        try {
            return JSON.writeValueAsBytes(request);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of strings always serializes", e);
        }
    }

    @Override
    public void close() {
        factory.close();
    }
}
