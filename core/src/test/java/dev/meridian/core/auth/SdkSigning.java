package dev.meridian.core.auth;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.checksums.DefaultChecksumAlgorithm;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner.AuthLocation;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/** Signs requests with the AWS SDK's own SigV4 signer, so the verifier is checked against what real clients send. */
final class SdkSigning {
    static final String ACCESS_KEY = "AKIDEXAMPLE";
    static final String SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    static final String REGION = "us-east-1";
    static final Instant SIGNED_AT = Instant.parse("2025-03-01T12:00:00Z");
    static final String UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";

    private static final AwsV4HttpSigner SIGNER = AwsV4HttpSigner.create();

    private SdkSigning() {}

    /** A DynamoDB call as the SDK sends it: POST / with a JSON 1.0 body and an X-Amz-Target header. */
    static SdkHttpRequest dynamoDbCall(URI endpoint, String operation) {
        return SdkHttpRequest.builder()
                .uri(endpoint)
                .method(SdkHttpMethod.POST)
                .putHeader("Content-Type", "application/x-amz-json-1.0")
                .putHeader("X-Amz-Target", "DynamoDB_20120810." + operation)
                .build();
    }

    static SdkHttpRequest signHeader(SdkHttpRequest request, byte[] body, String service, String accessKey,
            String secret, Instant at) {
        boolean s3 = service.equals("s3");
        return SIGNER.sign(r -> r
                .identity(AwsCredentialsIdentity.create(accessKey, secret))
                .request(request)
                .payload(ContentStreamProvider.fromByteArray(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
                .putProperty(AwsV4HttpSigner.REGION_NAME, REGION)
                .putProperty(AwsV4HttpSigner.DOUBLE_URL_ENCODE, !s3)
                .putProperty(AwsV4HttpSigner.NORMALIZE_PATH, !s3)
                .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(at, ZoneOffset.UTC)))
                .request();
    }

    /** A request as sent: headers signed, and the body as it goes on the wire. */
    record Sent(SdkHttpRequest request, byte[] body) {}

    /**
     * A PutObject as the SDK streams it: aws-chunked, each chunk signed or not, with the CRC32 of the object in a
     * trailer if asked. Over https, as the SDK sends unsigned payloads only over TLS.
     */
    static Sent signChunked(byte[] object, boolean payloadSigning, boolean crc32Trailer) {
        SdkHttpRequest request = SdkHttpRequest.builder()
                .uri(URI.create("https://localhost:9000/bucket/object.bin"))
                .method(SdkHttpMethod.PUT)
                .putHeader("Content-Length", Integer.toString(object.length))
                .build();
        SignedRequest signed = SIGNER.sign(r -> {
            r.identity(AwsCredentialsIdentity.create(ACCESS_KEY, SECRET))
                    .request(request)
                    .payload(ContentStreamProvider.fromByteArray(object))
                    .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "s3")
                    .putProperty(AwsV4HttpSigner.REGION_NAME, REGION)
                    .putProperty(AwsV4HttpSigner.DOUBLE_URL_ENCODE, false)
                    .putProperty(AwsV4HttpSigner.NORMALIZE_PATH, false)
                    .putProperty(AwsV4HttpSigner.CHUNK_ENCODING_ENABLED, true)
                    .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, payloadSigning)
                    .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(SIGNED_AT, ZoneOffset.UTC));
            if (crc32Trailer) {
                r.putProperty(AwsV4HttpSigner.CHECKSUM_ALGORITHM, DefaultChecksumAlgorithm.CRC32);
            }
        });
        try (InputStream body = signed.payload().orElseThrow().newStream()) {
            return new Sent(signed.request(), body.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A presigned S3 URL, as {@code S3Presigner} makes one: auth in the query, payload unsigned. */
    static SdkHttpRequest presign(SdkHttpRequest request, Duration expires, Instant at) {
        return SIGNER.sign(r -> r
                .identity(AwsCredentialsIdentity.create(ACCESS_KEY, SECRET))
                .request(request)
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "s3")
                .putProperty(AwsV4HttpSigner.REGION_NAME, REGION)
                .putProperty(AwsV4HttpSigner.DOUBLE_URL_ENCODE, false)
                .putProperty(AwsV4HttpSigner.NORMALIZE_PATH, false)
                .putProperty(AwsV4HttpSigner.AUTH_LOCATION, AuthLocation.QUERY_STRING)
                .putProperty(AwsV4HttpSigner.EXPIRATION_DURATION, expires)
                .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, false)
                .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(at, ZoneOffset.UTC)))
                .request();
    }

    /** The request as the server sees it, with the body hashed as a JSON-protocol API does. */
    static SigV4Request received(SdkHttpRequest signed, byte[] body, boolean doubleEncodePath) {
        return received(signed, SigV4Verifier.payloadHash(body), doubleEncodePath);
    }

    static SigV4Request received(SdkHttpRequest signed, String payloadHash, boolean doubleEncodePath) {
        return new SigV4Request(signed.method().name(), signed.encodedPath(), rawQuery(signed), signed.headers(),
                payloadHash, doubleEncodePath);
    }

    /** The request as the S3 layer sees it: the payload hash taken from x-amz-content-sha256, the path not normalized. */
    static SigV4Request receivedByS3(SdkHttpRequest signed) throws PayloadException {
        return received(signed, PayloadDecoder.s3PayloadHash(signed.headers(), rawQuery(signed)), false);
    }

    private static String rawQuery(SdkHttpRequest request) {
        String rawQuery = request.getUri().getRawQuery();
        return rawQuery == null ? "" : rawQuery;
    }

    static SigV4Request withHeader(SigV4Request request, String name, String value) {
        Map<String, List<String>> headers = new HashMap<>(request.headers());
        headers.put(name.toLowerCase(Locale.ROOT), List.of(value));
        return new SigV4Request(request.method(), request.rawPath(), request.rawQuery(), headers,
                request.payloadHash(), request.doubleEncodePath());
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static Map<String, String> secrets() {
        return Map.of(ACCESS_KEY, SECRET);
    }
}
