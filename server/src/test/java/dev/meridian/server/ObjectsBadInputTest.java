package dev.meridian.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Inputs the SDK would never send, signed correctly so they reach the S3 operations: each gets S3's error code and
 * status, and none leaves anything behind.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ObjectsBadInputTest {
    static final String BUCKET = "inputs";

    @TempDir
    Path dir;

    SingleRegion region;
    S3Client s3;
    URI endpoint;

    @BeforeAll
    void start() throws InterruptedException {
        region = SingleRegion.start(dir);
        endpoint = region.endpoint();
        s3 = Sdk.s3(endpoint, SingleRegion.NAME);
        s3.createBucket(b -> b.bucket(BUCKET));
    }

    @AfterAll
    void stop() {
        if (s3 != null) {
            s3.close();
        }
        if (region != null) {
            region.close();
        }
    }

    HttpResponse<String> send(String method, String target, String body, Map<String, String> headers) throws Exception {
        return SignedHttp.s3(endpoint, SingleRegion.NAME, method, target, body.getBytes(StandardCharsets.UTF_8), headers);
    }

    static void assertError(HttpResponse<String> response, int status, String code) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.body()).contains("<Code>" + code + "</Code>");
    }

    @Test
    void wrongContentMd5IsBadDigestAndStoresNothing() throws Exception {
        // MD5 of "other" in base64, sent with the body "data".
        assertError(send("PUT", "/" + BUCKET + "/md5", "data", Map.of("Content-MD5", "eVoZEtCBsO6I0z1lbvLdWQ==")),
                400, "BadDigest");
        assertError(send("PUT", "/" + BUCKET + "/md5", "data", Map.of("Content-MD5", "not-base64!")), 400, "InvalidDigest");
        assertError(send("GET", "/" + BUCKET + "/md5", "", Map.of()), 404, "NoSuchKey");
        assertThat(send("PUT", "/" + BUCKET + "/md5", "data", Map.of("Content-MD5", "jXd/OF09/siBXSD3SWAm3A==")).statusCode())
                .isEqualTo(200);
    }

    @Test
    void malformedXmlBodies() throws Exception {
        assertError(send("POST", "/" + BUCKET + "?delete", "<Delete><Object><Key>a</Key>",
                Map.of("Content-MD5", md5("<Delete><Object><Key>a</Key>"))), 400, "MalformedXML");
        assertError(send("PUT", "/" + BUCKET + "?versioning", "<VersioningConfiguration><Status>Sometimes</Status>"
                + "</VersioningConfiguration>", Map.of()), 400, "MalformedXML");
        String uploadId = s3.createMultipartUpload(b -> b.bucket(BUCKET).key("mp")).uploadId();
        assertError(send("POST", "/" + BUCKET + "/mp?uploadId=" + uploadId, "<CompleteMultipartUpload>",
                Map.of()), 400, "MalformedXML");
        assertError(send("POST", "/" + BUCKET + "/mp?uploadId=" + uploadId,
                "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><CompleteMultipartUpload><Part>"
                        + "<PartNumber>1</PartNumber><ETag>&e;</ETag></Part></CompleteMultipartUpload>", Map.of()),
                400, "MalformedXML");
        assertError(send("POST", "/" + BUCKET + "/mp?uploadId=" + uploadId,
                "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>\"abc\"</ETag></Part>"
                        + "</CompleteMultipartUpload>", Map.of()), 400, "InvalidPart");
    }

    @Test
    void badRangesPartNumbersAndListParameters() throws Exception {
        s3.putObject(b -> b.bucket(BUCKET).key("ten"), RequestBody.fromString("0123456789"));
        assertError(send("GET", "/" + BUCKET + "/ten", "", Map.of("Range", "bytes=20-30")), 416, "InvalidRange");
        // A range S3 cannot parse is ignored: the whole object, 200.
        var ignored = send("GET", "/" + BUCKET + "/ten", "", Map.of("Range", "bytes=5-2"));
        assertThat(ignored.statusCode()).isEqualTo(200);
        assertThat(ignored.body()).isEqualTo("0123456789");
        assertError(send("GET", "/" + BUCKET + "?list-type=2&max-keys=-1", "", Map.of()), 400, "InvalidArgument");
        assertError(send("GET", "/" + BUCKET + "?list-type=2&encoding-type=base64", "", Map.of()), 400, "InvalidArgument");
        assertError(send("GET", "/" + BUCKET + "?list-type=2&continuation-token=%25%25", "", Map.of()), 400,
                "InvalidArgument");
        assertError(send("PUT", "/" + BUCKET + "/ten?partNumber=0&uploadId=x", "x", Map.of()), 400, "InvalidArgument");
        assertError(send("PUT", "/" + BUCKET + "/ten?partNumber=1&uploadId=nope", "x", Map.of()), 404, "NoSuchUpload");
    }

    @Test
    void limitsOnKeysMetadataAndNames() throws Exception {
        assertError(send("PUT", "/" + BUCKET + "/" + "k".repeat(1025), "x", Map.of()), 400, "KeyTooLongError");
        assertError(send("PUT", "/" + BUCKET + "/meta", "x", Map.of("x-amz-meta-big", "v".repeat(2100))), 400,
                "MetadataTooLarge");
        for (String invalid : List.of("ab", "Upper", "with_underscore", "192.168.1.1", "-dash", "a..b", "x".repeat(64),
                "xn--punycode", "name-s3alias", "dash-.dot", "dot.-dash")) {
            assertError(send("PUT", "/" + invalid, "", Map.of()), 400, "InvalidBucketName");
        }
        String elsewhere = "<CreateBucketConfiguration><LocationConstraint>mars-1</LocationConstraint>"
                + "</CreateBucketConfiguration>";
        assertError(send("PUT", "/on-mars", elsewhere, Map.of()), 400, "InvalidLocationConstraint");
        assertError(send("PUT", "/" + BUCKET + "/x", "wrong body", Map.of("x-amz-checksum-sha256", "nope")), 400,
                "InvalidRequest");
    }

    @Test
    void unsignedTamperedAndExpiredRequests() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        var anonymous = http.send(HttpRequest.newBuilder(endpoint.resolve("/" + BUCKET)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertError(anonymous, 403, "AccessDenied");

        try (S3Presigner presigner = S3Presigner.builder().endpointOverride(endpoint).region(Region.of(SingleRegion.NAME))
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(Sdk.ACCESS_KEY, Sdk.SECRET_KEY)))
                .build()) {
            URI put = presigner.presignPutObject(p -> p.signatureDuration(Duration.ofMinutes(5))
                    .putObjectRequest(r -> r.bucket(BUCKET).key("presigned"))).url().toURI();
            var stored = http.send(HttpRequest.newBuilder(put).PUT(HttpRequest.BodyPublishers.ofString("via url")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(stored.statusCode()).as(stored.body()).isEqualTo(200);
            URI get = presigner.presignGetObject(p -> p.signatureDuration(Duration.ofMinutes(5))
                    .getObjectRequest(r -> r.bucket(BUCKET).key("presigned"))).url().toURI();
            assertThat(http.send(HttpRequest.newBuilder(get).GET().build(), HttpResponse.BodyHandlers.ofString()).body())
                    .isEqualTo("via url");
            URI tampered = URI.create(get.toString().replace("/presigned?", "/other?"));
            assertError(http.send(HttpRequest.newBuilder(tampered).GET().build(), HttpResponse.BodyHandlers.ofString()),
                    403, "SignatureDoesNotMatch");
        }
    }

    static String md5(String body) throws Exception {
        return java.util.Base64.getEncoder().encodeToString(
                java.security.MessageDigest.getInstance("MD5").digest(body.getBytes(StandardCharsets.UTF_8)));
    }
}
