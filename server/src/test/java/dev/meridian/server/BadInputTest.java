package dev.meridian.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/** Bad requests get DynamoDB's own errors through the real SDK, and leave the region healthy. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputTest {
    static final String REGION = SingleRegion.NAME;

    @TempDir
    Path dir;

    SingleRegion region;
    DynamoDbClient client;

    @BeforeAll
    void start() throws InterruptedException {
        region = SingleRegion.start(dir);
        client = region.client;
        client.createTable(b -> b.tableName("things")
                .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build())
                .attributeDefinitions(AttributeDefinition.builder().attributeName("pk").attributeType(ScalarAttributeType.S).build())
                .billingMode(BillingMode.PAY_PER_REQUEST));
    }

    @AfterAll
    void stop() throws Exception {
        try {
            assertRegionStillHealthy();
        } finally {
            region.close();
        }
    }

    private void assertRegionStillHealthy() throws Exception {
        HttpResponse<String> health = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(region.endpoint().resolve("/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        client.putItem(b -> b.tableName("things").item(Map.of("pk", AttributeValue.fromS("after"))));
        assertThat(client.getItem(b -> b.tableName("things").key(Map.of("pk", AttributeValue.fromS("after")))).item())
                .containsKey("pk");
    }

    private static DynamoDbException dynamoError(Runnable call) {
        try {
            call.run();
        } catch (DynamoDbException e) {
            return e;
        }
        throw new AssertionError("expected a DynamoDB error");
    }

    @Test
    void malformedJsonIsASerializationException() throws Exception {
        var response = SignedHttp.dynamo(region.endpoint(), REGION, "DynamoDB_20120810.PutItem",
                "{\"TableName\": \"things\", ");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("\"__type\":\"com.amazon.coral.service#SerializationException\"");
    }

    @Test
    void wrongJsonShapeIsASerializationException() throws Exception {
        var response = SignedHttp.dynamo(region.endpoint(), REGION, "DynamoDB_20120810.PutItem",
                "{\"TableName\": \"things\", \"Item\": [1, 2]}");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("SerializationException");
    }

    @Test
    void unknownTargetIsAnUnknownOperationException() throws Exception {
        var response = SignedHttp.dynamo(region.endpoint(), REGION, "DynamoDB_20120810.Frobnicate", "{}");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("\"__type\":\"com.amazon.coral.service#UnknownOperationException\"");
    }

    @Test
    void itemOverFourHundredKilobytesIsRejected() {
        String big = "x".repeat(400 * 1024);
        DynamoDbException e = dynamoError(() -> client.putItem(b -> b.tableName("things")
                .item(Map.of("pk", AttributeValue.fromS("big"), "blob", AttributeValue.fromS(big)))));
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
        assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Item size has exceeded the maximum allowed size");
        assertThat(client.getItem(b -> b.tableName("things").key(Map.of("pk", AttributeValue.fromS("big")))).item()).isEmpty();
    }

    @Test
    void binaryJustUnderTheLimitIsAccepted() {
        byte[] blob = new byte[399 * 1024];
        client.putItem(b -> b.tableName("things").item(Map.of("pk", AttributeValue.fromS("almost"), "b", AttributeValue.fromB(SdkBytes.fromByteArray(blob)))));
        assertThat(client.getItem(b -> b.tableName("things").key(Map.of("pk", AttributeValue.fromS("almost")))).item().get("b").b().asByteArray())
                .isEqualTo(blob);
    }

    @Test
    void wrongKeyTypeIsAValidationException() {
        DynamoDbException e = dynamoError(() -> client.putItem(b -> b.tableName("things").item(Map.of("pk", AttributeValue.fromN("7")))));
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
        assertThat(e.awsErrorDetails().errorMessage())
                .isEqualTo("One or more parameter values were invalid: Type mismatch for key pk expected: S actual: N");
    }

    @Test
    void wrongSecretIsAnInvalidSignature() {
        try (var bad = Sdk.dynamo(region.endpoint(), REGION, "not-the-secret")) {
            DynamoDbException e = dynamoError(bad::listTables);
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidSignatureException");
            assertThat(e.statusCode()).isEqualTo(400);
        }
    }

    @Test
    void unknownAccessKeyIsAnUnrecognizedClient() {
        try (var stranger = DynamoDbClient.builder()
                .endpointOverride(region.endpoint())
                .region(software.amazon.awssdk.regions.Region.of(REGION))
                .credentialsProvider(() -> software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("AKIASTRANGER", "x"))
                .httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create())
                .build()) {
            DynamoDbException e = dynamoError(stranger::listTables);
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("UnrecognizedClientException");
        }
    }

    @Test
    void unsignedRequestIsMissingItsAuthenticationToken() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(region.endpoint())
                        .header("X-Amz-Target", "DynamoDB_20120810.ListTables")
                        .header("Content-Type", "application/x-amz-json-1.0")
                        .POST(HttpRequest.BodyPublishers.ofString("{}", StandardCharsets.UTF_8))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("MissingAuthenticationTokenException");
    }

    @Test
    void missingTableDuplicateTableAndFailedConditionMapToTheirSdkExceptions() {
        assertThatThrownBy(() -> client.getItem(b -> b.tableName("nope").key(Map.of("pk", AttributeValue.fromS("a")))))
                .isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> client.createTable(b -> b.tableName("things")
                .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build())
                .attributeDefinitions(AttributeDefinition.builder().attributeName("pk").attributeType(ScalarAttributeType.S).build())
                .billingMode(BillingMode.PAY_PER_REQUEST)))
                .isInstanceOf(ResourceInUseException.class);
        client.putItem(b -> b.tableName("things").item(Map.of("pk", AttributeValue.fromS("once"))));
        assertThatThrownBy(() -> client.putItem(b -> b.tableName("things").item(Map.of("pk", AttributeValue.fromS("once")))
                .conditionExpression("attribute_not_exists(pk)")))
                .isInstanceOf(ConditionalCheckFailedException.class);
    }
}
