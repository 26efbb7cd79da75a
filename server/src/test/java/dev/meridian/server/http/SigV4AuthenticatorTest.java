package dev.meridian.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.Server;
import dev.meridian.core.auth.SigV4Verifier;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/** The decorator in front of a real Armeria server, called over HTTP by the JDK's client. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SigV4AuthenticatorTest {
    /** Headers the JDK client sets itself and refuses to be given. */
    static final Set<String> RESTRICTED = Set.of("host", "content-length", "connection", "expect", "upgrade");
    static final String ACCESS_KEY = "AKIDEXAMPLE";
    static final String SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

    Server server;
    URI endpoint;
    final HttpClient client = HttpClient.newHttpClient();

    @BeforeAll
    void start() {
        Map<String, String> secrets = Map.of(ACCESS_KEY, SECRET);
        SigV4Verifier verifier = new SigV4Verifier(id -> Optional.ofNullable(secrets.get(id)), Clock.systemUTC());
        server = Server.builder()
                .http(0)
                .maxRequestLength(0)
                .serviceUnder("/", new SigV4Authenticator(
                        (ctx, req) -> HttpResponse.of(req.aggregate().thenApply(body -> HttpResponse.of(
                                ctx.attr(SigV4Authenticator.ACCESS_KEY_ID) + " read " + body.contentUtf8()))),
                        verifier,
                        failure -> HttpResponse.of(HttpStatus.BAD_REQUEST, MediaType.JSON_UTF_8,
                                "{\"__type\":\"" + failure.reason() + "\",\"message\":\"" + failure.message() + "\"}")))
                .build();
        server.start().join();
        endpoint = URI.create("http://localhost:" + server.activeLocalPort());
    }

    @AfterAll
    void stop() {
        server.stop().join();
    }

    @Test
    void signedRequestReachesTheServiceWithItsAccessKeyAndBody() throws Exception {
        byte[] body = "{\"TableName\":\"sessions\"}".getBytes(StandardCharsets.UTF_8);
        SdkHttpRequest signed = sign(dynamoDbCall("DescribeTable"), body, "dynamodb");

        var response = client.send(send(signed, body), BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(ACCESS_KEY + " read {\"TableName\":\"sessions\"}");
    }

    @Test
    void signedRequestWithEncodedPathAndQueryVerifiesAsSent() throws Exception {
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        SdkHttpRequest unsigned = SdkHttpRequest.builder()
                .uri(endpoint)
                .method(SdkHttpMethod.POST)
                .encodedPath("/2015-03-31/functions/my%20fn%3Av1/invocations")
                .putRawQueryParameter("Qualifier", "a b+c")
                .putRawQueryParameter("Empty", "")
                .build();
        SdkHttpRequest signed = sign(unsigned, body, "lambda");

        assertThat(client.send(send(signed, body), BodyHandlers.ofString()).statusCode()).isEqualTo(200);
    }

    @Test
    void unsignedRequestGetsTheCallersErrorShape() throws Exception {
        var response = client.send(HttpRequest.newBuilder(endpoint)
                        .header("Content-Type", "application/x-amz-json-1.0")
                        .header("X-Amz-Target", "DynamoDB_20120810.ListTables")
                        .POST(BodyPublishers.ofString("{}"))
                        .build(),
                BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).isEqualTo(
                "{\"__type\":\"MISSING_AUTHENTICATION\",\"message\":\"Request is missing Authentication Token\"}");
    }

    @Test
    void bodyLargerThanDynamoDbAcceptsIsRefusedUnread() throws Exception {
        byte[] body = new byte[(int) SigV4Authenticator.MAX_REQUEST_BYTES + 1];
        SdkHttpRequest signed = sign(dynamoDbCall("BatchWriteItem"), body, "dynamodb");

        assertThat(client.send(send(signed, body), BodyHandlers.discarding()).statusCode()).isEqualTo(413);
    }

    private SdkHttpRequest dynamoDbCall(String operation) {
        return SdkHttpRequest.builder()
                .uri(endpoint)
                .method(SdkHttpMethod.POST)
                .putHeader("Content-Type", "application/x-amz-json-1.0")
                .putHeader("X-Amz-Target", "DynamoDB_20120810." + operation)
                .build();
    }

    /** Signs as the AWS SDK does, so the decorator is checked against what real clients send. */
    private static SdkHttpRequest sign(SdkHttpRequest request, byte[] body, String service) {
        return AwsV4HttpSigner.create().sign(r -> r
                        .identity(AwsCredentialsIdentity.create(ACCESS_KEY, SECRET))
                        .request(request)
                        .payload(ContentStreamProvider.fromByteArray(body))
                        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
                        .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1"))
                .request();
    }

    private static HttpRequest send(SdkHttpRequest signed, byte[] body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(signed.getUri())
                .method(signed.method().name(), BodyPublishers.ofByteArray(body));
        signed.forEachHeader((name, values) -> {
            if (!RESTRICTED.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(value -> request.header(name, value));
            }
        });
        return request.build();
    }
}
