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
 * Sends DynamoDB and S3 requests with any body, target and headers, correctly signed by the SDK's own SigV4 signer,
 * for the inputs the SDK itself would never produce (malformed JSON or XML, unknown operations, wrong digests).
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

    /**
     * An S3 request to {@code path?query} of {@code endpoint}, its body's SHA-256 signed (as the AWS CLI signs) and
     * the given extra headers signed with it.
     */
    static HttpResponse<String> s3(URI endpoint, String region, String method, String pathAndQuery, byte[] body,
            java.util.Map<String, String> headers) throws IOException, InterruptedException {
        URI uri = endpoint.resolve(pathAndQuery);
        var unsigned = SdkHttpRequest.builder().uri(uri).method(SdkHttpMethod.fromValue(method))
                .putHeader("x-amz-content-sha256", java.util.HexFormat.of().formatHex(sha256(body)));
        headers.forEach(unsigned::putHeader);
        SdkHttpRequest signed = AwsV4HttpSigner.create().sign(r -> r
                        .identity(AwsCredentialsIdentity.create(Sdk.ACCESS_KEY, Sdk.SECRET_KEY))
                        .request(unsigned.build())
                        .payload(ContentStreamProvider.fromByteArray(body))
                        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "s3")
                        .putProperty(AwsV4HttpSigner.DOUBLE_URL_ENCODE, false)
                        .putProperty(AwsV4HttpSigner.NORMALIZE_PATH, false)
                        .putProperty(AwsV4HttpSigner.REGION_NAME, region))
                .request();
        var request = HttpRequest.newBuilder(uri).method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        signed.headers().forEach((name, values) -> {
            if (!name.equalsIgnoreCase("host") && !name.equalsIgnoreCase("content-length")) {
                values.forEach(value -> request.header(name, value));
            }
        });
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static byte[] sha256(byte[] body) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(body);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
