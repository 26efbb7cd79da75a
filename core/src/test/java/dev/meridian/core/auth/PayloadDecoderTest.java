package dev.meridian.core.auth;

import static dev.meridian.core.auth.SdkSigning.SIGNED_AT;
import static dev.meridian.core.auth.SdkSigning.receivedByS3;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import dev.meridian.core.auth.SdkSigning.Sent;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;

/** Bodies as the AWS SDK sends them to S3, decoded and checked; then the same bodies damaged. */
class PayloadDecoderTest {
    static final String CRC32_TRAILER = "x-amz-checksum-crc32";
    static final SigV4Verifier VERIFIER = SigV4VerifierTest.verifierAt(SIGNED_AT);

    /** The aws-chunked forms the SDK streams a PutObject in. */
    enum Streaming {
        SIGNED_CHUNKS(true, false, "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"),
        SIGNED_CHUNKS_WITH_CRC32(true, true, "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER"),
        UNSIGNED_CHUNKS_WITH_CRC32(false, true, "STREAMING-UNSIGNED-PAYLOAD-TRAILER");

        final boolean payloadSigning;
        final boolean crc32;
        final String contentSha256;

        Streaming(boolean payloadSigning, boolean crc32, String contentSha256) {
            this.payloadSigning = payloadSigning;
            this.crc32 = crc32;
            this.contentSha256 = contentSha256;
        }

        Sent send(byte[] object) {
            return SdkSigning.signChunked(object, payloadSigning, crc32);
        }
    }

    static Stream<Arguments> sizesAndForms() {
        return Stream.of(0, 1, 64 * 1024, 64 * 1024 + 1, 1024 * 1024 + 7)
                .flatMap(size -> Arrays.stream(Streaming.values()).map(form -> Arguments.of(size, form)));
    }

    @ParameterizedTest
    @MethodSource("sizesAndForms")
    void sdkStreamedBodyDecodesToTheObjectWithItsTrailers(int size, Streaming form) throws IOException {
        byte[] object = object(size);
        Sent sent = form.send(object);

        PayloadDecoder decoder = open(sent, sent.body());

        assertThat(sent.request().firstMatchingHeader("x-amz-content-sha256")).contains(form.contentSha256);
        assertThat(decoder.readAllBytes()).isEqualTo(object);
        assertThat(decoder.trailers()).isEqualTo(form.crc32 ? Map.of(CRC32_TRAILER, crc32(object)) : Map.of());
    }

    @ParameterizedTest
    @EnumSource(Streaming.class)
    void bodyReadByteByByteDecodesTheSame(Streaming form) throws IOException {
        byte[] object = object(128 * 1024 + 3);
        PayloadDecoder decoder = open(form.send(object), form.send(object).body());
        ByteBuffer read = ByteBuffer.allocate(object.length);

        for (int b = decoder.read(); b >= 0; b = decoder.read()) {
            read.put((byte) b);
        }

        assertThat(read.array()).isEqualTo(object);
        assertThat(read.remaining()).isZero();
    }

    @ParameterizedTest
    @EnumSource(value = Streaming.class, names = {"SIGNED_CHUNKS", "SIGNED_CHUNKS_WITH_CRC32"})
    void flippedByteInAnySignedChunkIsASignatureMismatch(Streaming form) {
        byte[] object = object(300 * 1024);
        Sent sent = form.send(object);
        int firstData = indexOf(sent.body(), "\r\n", 0) + 2;
        int lastChunkEnd = indexOf(sent.body(), "\r\n0;", 0);

        for (int at : new int[] {firstData, firstData + 128 * 1024 - 1, lastChunkEnd - 1}) {
            byte[] body = sent.body().clone();
            body[at] ^= 1;

            assertRefused(sent, body, "SignatureDoesNotMatch");
        }
    }

    @Test
    void alteredSignedTrailerIsASignatureMismatch() {
        Sent sent = Streaming.SIGNED_CHUNKS_WITH_CRC32.send(object(1000));

        assertRefused(sent, replace(sent.body(), crc32(object(1000)), crc32(object(999))), "SignatureDoesNotMatch");
    }

    @Test
    void unsignedTrailerIsReportedAsSentForTheCallerToCheck() throws IOException {
        Sent sent = Streaming.UNSIGNED_CHUNKS_WITH_CRC32.send(object(1000));
        PayloadDecoder decoder = open(sent, replace(sent.body(), crc32(object(1000)), crc32(object(999))));

        decoder.readAllBytes();

        assertThat(decoder.trailers()).containsExactly(entry(CRC32_TRAILER, crc32(object(999))));
    }

    @ParameterizedTest
    @EnumSource(Streaming.class)
    void bodyCutShortAnywhereIsIncomplete(Streaming form) {
        Sent sent = form.send(object(64 * 1024 + 1));
        int length = sent.body().length;
        // Every cut in the framing at either end, and a spread through the data.
        Stream<Integer> cuts = Stream.of(
                Stream.iterate(0, i -> i < 200, i -> i + 1),
                Stream.iterate(0, i -> i < length, i -> i + 4099),
                Stream.iterate(length - 300, i -> i < length, i -> i + 1)).flatMap(s -> s);

        cuts.forEach(cut -> assertRefused(sent, Arrays.copyOf(sent.body(), cut), "IncompleteBody"));
    }

    @ParameterizedTest
    @EnumSource(Streaming.class)
    void decodedLengthOtherThanTheBodysIsIncomplete(Streaming form) {
        Sent sent = form.send(object(5000));

        SigV4Request request = verifiedByS3(sent);

        for (String declared : List.of("4999", "5001", "0")) {
            SigV4Request misdeclared = SdkSigning.withHeader(request, "x-amz-decoded-content-length", declared);

            assertRefused(misdeclared, authenticated(request), sent.body(), "IncompleteBody");
        }
    }

    @Test
    void chunkedBodyWithoutADecodedLengthIsRefusedBeforeItIsRead() {
        Sent sent = Streaming.SIGNED_CHUNKS.send(object(10));
        SigV4Request request = verifiedByS3(sent);
        Map<String, List<String>> headers = new HashMap<>(request.headers());
        headers.remove("x-amz-decoded-content-length");
        SigV4Request withoutLength = new SigV4Request(request.method(), request.rawPath(), request.rawQuery(), headers,
                request.payloadHash(), false);

        assertThatThrownBy(() -> PayloadDecoder.open(InputStream.nullInputStream(), withoutLength,
                authenticated(request)))
                .isInstanceOfSatisfying(PayloadException.class, e -> assertThat(e.code()).isEqualTo("MissingContentLength"));
    }

    @Test
    void bodyHashedInTheHeaderIsCheckedAtItsEnd() throws IOException {
        byte[] object = object(70_000);
        SdkHttpRequest signed = SdkSigning.signHeader(put(), object, "s3", SdkSigning.ACCESS_KEY, SdkSigning.SECRET,
                SIGNED_AT);
        Sent sent = new Sent(signed, object);
        byte[] tampered = object.clone();
        tampered[69_999] ^= 1;

        assertThat(open(sent, object).readAllBytes()).isEqualTo(object);
        assertRefused(sent, tampered, "XAmzContentSHA256Mismatch");
    }

    @Test
    void presignedPutSignsNoPayloadAndPassesTheBodyThrough() throws IOException {
        SdkHttpRequest presigned = SdkSigning.presign(put(), Duration.ofMinutes(5), SIGNED_AT);
        byte[] object = object(1234);

        assertThat(receivedByS3(presigned).payloadHash()).isEqualTo("UNSIGNED-PAYLOAD");
        assertThat(open(new Sent(presigned, object), object).readAllBytes()).isEqualTo(object);
    }

    @Test
    void headerSignedS3RequestMustSendItsContentSha256() {
        Map<String, List<String>> headers = Map.of("Authorization", List.of("AWS4-HMAC-SHA256 Credential=..."));

        assertThatThrownBy(() -> PayloadDecoder.s3PayloadHash(headers, ""))
                .isInstanceOfSatisfying(PayloadException.class, e -> assertThat(e.code()).isEqualTo("InvalidRequest"));
    }

    @Test
    void contentSha256OfNoKnownFormIsAnInvalidArgument() {
        for (String value : List.of("STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD", "abc123", "0".repeat(63))) {
            Map<String, List<String>> headers = Map.of("x-amz-content-sha256", List.of(value),
                    "authorization", List.of("AWS4-HMAC-SHA256 Credential=..."));

            assertThatThrownBy(() -> PayloadDecoder.s3PayloadHash(headers, "")).as(value)
                    .isInstanceOfSatisfying(PayloadException.class, e -> assertThat(e.code()).isEqualTo("InvalidArgument"));
        }
    }

    @Test
    void trailersAreKnownOnlyOnceTheBodyHasEnded() throws IOException {
        Sent sent = Streaming.SIGNED_CHUNKS_WITH_CRC32.send(object(10));
        PayloadDecoder decoder = open(sent, sent.body());

        assertThatThrownBy(decoder::trailers).isInstanceOf(IllegalStateException.class);
        decoder.readNBytes(10);
        assertThatThrownBy(decoder::trailers).isInstanceOf(IllegalStateException.class);
        assertThat(decoder.read()).isEqualTo(-1);
        assertThat(decoder.trailers()).containsOnlyKeys(CRC32_TRAILER);
    }

    @Test
    void refusalIsRepeatedByEveryLaterRead() throws IOException {
        Sent sent = Streaming.SIGNED_CHUNKS.send(object(10));
        byte[] body = sent.body().clone();
        body[indexOf(body, "\r\n", 0) + 2] ^= 1;
        PayloadDecoder decoder = open(sent, body);

        assertThatThrownBy(decoder::readAllBytes).isInstanceOf(PayloadException.class);
        assertThatThrownBy(decoder::read).isInstanceOf(PayloadException.class);
    }

    /**
     * The chunked PUT example of AWS's "Transferring Payload in Multiple Chunks" guide: its published seed and chunk
     * signatures, independent of the SDK.
     */
    @Test
    void awsDocumentationChunkedUploadExampleDecodes() throws IOException {
        SigV4Request request = new SigV4Request("PUT", "/examplebucket/chunkObject.txt", "", Map.of(
                "Host", List.of("s3.amazonaws.com"),
                "x-amz-date", List.of("20130524T000000Z"),
                "x-amz-storage-class", List.of("REDUCED_REDUNDANCY"),
                "Authorization", List.of("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/"
                        + "aws4_request,SignedHeaders=content-encoding;content-length;host;x-amz-content-sha256;"
                        + "x-amz-date;x-amz-decoded-content-length;x-amz-storage-class,"
                        + "Signature=4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9"),
                "x-amz-content-sha256", List.of("STREAMING-AWS4-HMAC-SHA256-PAYLOAD"),
                "Content-Encoding", List.of("aws-chunked"),
                "x-amz-decoded-content-length", List.of("66560"),
                "Content-Length", List.of("66824")),
                "STREAMING-AWS4-HMAC-SHA256-PAYLOAD", false);
        SigV4Verifier verifier = new SigV4Verifier(
                id -> Optional.of("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
                Clock.fixed(Instant.parse("2013-05-24T00:00:00Z"), ZoneOffset.UTC));
        byte[] object = new byte[66560];
        Arrays.fill(object, (byte) 'a');
        String body = "10000;chunk-signature=ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648\r\n"
                + "a".repeat(65536) + "\r\n"
                + "400;chunk-signature=0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497\r\n"
                + "a".repeat(1024) + "\r\n"
                + "0;chunk-signature=b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9\r\n\r\n";

        SigV4Result result = verifier.verify(request);
        assertThat(result).isInstanceOf(Authenticated.class);
        PayloadDecoder decoder = PayloadDecoder.open(
                new ByteArrayInputStream(body.getBytes(StandardCharsets.US_ASCII)), request, (Authenticated) result);

        assertThat(body).hasSize(66824);
        assertThat(decoder.readAllBytes()).isEqualTo(object);
    }

    static byte[] object(int size) {
        byte[] object = new byte[size];
        new Random(size).nextBytes(object);
        return object;
    }

    static SdkHttpRequest put() {
        return SdkHttpRequest.builder()
                .uri(URI.create("http://localhost:9000/bucket/object.bin")).method(SdkHttpMethod.PUT).build();
    }

    static SigV4Request verifiedByS3(Sent sent) {
        try {
            SigV4Request request = receivedByS3(sent.request());
            assertThat(VERIFIER.verify(request)).isInstanceOf(Authenticated.class);
            return request;
        } catch (PayloadException e) {
            throw new AssertionError(e);
        }
    }

    static Authenticated authenticated(SigV4Request request) {
        return (Authenticated) VERIFIER.verify(request);
    }

    static PayloadDecoder open(Sent sent, byte[] body) throws PayloadException {
        SigV4Request request = verifiedByS3(sent);
        return PayloadDecoder.open(new ByteArrayInputStream(body), request, authenticated(request));
    }

    static void assertRefused(Sent sent, byte[] body, String code) {
        SigV4Request request = verifiedByS3(sent);
        assertRefused(request, authenticated(request), body, code);
    }

    static void assertRefused(SigV4Request request, Authenticated authenticated, byte[] body, String code) {
        assertThatThrownBy(() -> PayloadDecoder.open(new ByteArrayInputStream(body), request, authenticated)
                .readAllBytes())
                .as("%d-byte body", body.length)
                .isInstanceOfSatisfying(PayloadException.class, e -> assertThat(e.code()).isEqualTo(code));
    }

    static String crc32(byte[] object) {
        CRC32 crc = new CRC32();
        crc.update(object);
        return Base64.getEncoder().encodeToString(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    static int indexOf(byte[] body, String ascii, int from) {
        byte[] needle = ascii.getBytes(StandardCharsets.US_ASCII);
        for (int i = from; i + needle.length <= body.length; i++) {
            if (Arrays.equals(body, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        throw new AssertionError("'" + ascii + "' is not in the body");
    }

    static byte[] replace(byte[] body, String ascii, String replacement) {
        int at = indexOf(body, ascii, 0);
        byte[] replaced = body.clone();
        System.arraycopy(replacement.getBytes(StandardCharsets.US_ASCII), 0, replaced, at, ascii.length());
        return replaced;
    }
}
