package dev.meridian.server;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * Sends DynamoDB requests with any body and target, correctly signed by the SDK's own SigV4 signer, for the
 * inputs the SDK itself would never produce (malformed JSON, unknown operations).
 */
final class SignedHttp {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private SignedHttp() {}

    static HttpResponse<String> dynamo(URI endpoint, String region, String target, String body)
            throws IOException, InterruptedException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        SdkHttpRequest signed = AwsV4HttpSigner.create().sign(r -> r
                        .identity(AwsCredentialsIdentity.create(Sdk.ACCESS_KEY, Sdk.SECRET_KEY))
                        .request(SdkHttpRequest.builder()
                                .uri(endpoint)
                                .method(SdkHttpMethod.POST)
                                .putHeader("Content-Type", "application/x-amz-json-1.0")
                                .putHeader("X-Amz-Target", target)
                                .build())
                        .payload(ContentStreamProvider.fromByteArray(bytes))
                        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "dynamodb")
                        .putProperty(AwsV4HttpSigner.REGION_NAME, region))
                .request();
        var request = HttpRequest.newBuilder(endpoint).POST(HttpRequest.BodyPublishers.ofByteArray(bytes));
        signed.headers().forEach((name, values) -> {
            if (!name.equalsIgnoreCase("host")) {
                values.forEach(value -> request.header(name, value));
            }
        });
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
