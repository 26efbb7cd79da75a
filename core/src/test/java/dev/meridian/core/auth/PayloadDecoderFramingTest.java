package dev.meridian.core.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import dev.meridian.core.auth.SdkSigning.Sent;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Hand-written aws-chunked bodies, malformed one way at a time, and randomly damaged SDK bodies. */
class PayloadDecoderFramingTest {
    static final String UNSIGNED_TRAILER = "STREAMING-UNSIGNED-PAYLOAD-TRAILER";
    static final String SIGNED = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD";
    static final String SIG = "0123456789abcdef".repeat(4);
    /** Framing is checked before any signature, so any seed will do for bodies refused for their framing. */
    static final Authenticated ANYONE = new Authenticated("AKIDEXAMPLE", "us-east-1", "s3", new SeedSignature(SIG,
            "20250301T120000Z", "20250301/us-east-1/s3/aws4_request", new byte[32]));

    @Test
    void wellFormedUnsignedBodyWithTrailerDecodes() throws IOException {
        PayloadDecoder decoder = open(UNSIGNED_TRAILER, 10,
                "5\r\nhello\r\n5\r\nworld\r\n0\r\nx-amz-checksum-crc32 :  AAAAAA==  \r\n\r\n");

        assertThat(new String(decoder.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("helloworld");
        assertThat(decoder.trailers()).isEqualTo(Map.of("x-amz-checksum-crc32", "AAAAAA=="));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            size not hex                 | zz\\r\\nhello\\r\\n0\\r\\n
            size with a sign             | +5\\r\\nhello\\r\\n0\\r\\n
            size of nine digits          | 000000005\\r\\nhello\\r\\n0\\r\\n
            size above 16 MiB            | 1000001\\r\\nhello\\r\\n0\\r\\n
            empty size                   | \\r\\nhello\\r\\n0\\r\\n
            extension in unsigned body   | 5;chunk-signature=abc\\r\\nhello\\r\\n0\\r\\n
            no CRLF after data           | 5\\r\\nhelloXX0\\r\\n
            bare LF                      | 5\\nhello\\r\\n0\\r\\n
            CR without LF                | 5\\rhello\\r\\n0\\r\\n
            data after the end           | 5\\r\\nhello\\r\\n0\\r\\nx-amz-checksum-crc32:AAAAAA==\\r\\n\\r\\nmore
            """)
    void malformedChunkFramingIsAnInvalidRequest(String why, String body) {
        assertRefused(open(UNSIGNED_TRAILER, 5, unescape(body)), "InvalidRequest");
    }

    @Test
    void sizeLineLongerThanOneKibibyteIsRefusedUnbuffered() {
        assertRefused(open(UNSIGNED_TRAILER, 5, "0".repeat(1025) + "5\r\nhello\r\n"), "InvalidRequest");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            no extension           | 5\\r\\nhello\\r\\n
            another extension      | 5;name=value\\r\\nhello\\r\\n
            short signature        | 5;chunk-signature=0123abcd\\r\\nhello\\r\\n
            signature not hex      | 5;chunk-signature=zz23456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\\r\\n
            two extensions         | 5;chunk-signature=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef;x=y\\r\\n
            """)
    void signedChunkWithoutExactlyOneSignatureExtensionIsAnInvalidRequest(String why, String body) {
        assertRefused(open(SIGNED, 5, unescape(body)), "InvalidRequest");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            undeclared trailer          | 0\\r\\nx-amz-checksum-sha256:abc=\\r\\n\\r\\n
            declared trailer missing    | 0\\r\\n\\r\\n
            trailer repeated            | 0\\r\\nx-amz-checksum-crc32:AAAAAA==\\r\\nx-amz-checksum-crc32:AAAAAA==\\r\\n\\r\\n
            trailer without colon       | 0\\r\\nx-amz-checksum-crc32 AAAAAA==\\r\\n\\r\\n
            signature on unsigned body  | 0\\r\\nx-amz-checksum-crc32:AAAAAA==\\r\\nx-amz-trailer-signature:abc\\r\\n\\r\\n
            """)
    void malformedTrailersAreAMalformedTrailerError(String why, String body) {
        assertRefused(open(UNSIGNED_TRAILER, 0, unescape(body)), "MalformedTrailerError");
    }

    @Test
    void trailersLongerThanSixteenKibibytesAreRefused() {
        String body = "0\r\nx-amz-checksum-crc32:" + "A".repeat(16 * 1024) + "\r\n\r\n";

        assertRefused(open(UNSIGNED_TRAILER, 0, body), "MalformedTrailerError");
    }

    @Test
    void decodedLengthThatIsNotANumberIsAnInvalidArgument() {
        for (String declared : List.of("ten", "-1", "")) {
            assertThatThrownBy(() -> PayloadDecoder.open(new ByteArrayInputStream(new byte[0]),
                    request(UNSIGNED_TRAILER, declared), ANYONE))
                    .isInstanceOfSatisfying(PayloadException.class, e -> assertThat(e.code()).isEqualTo("InvalidArgument"));
        }
    }

    /**
     * Whatever the damage, a body is refused with a PayloadException, and soon, or it decodes: to the object, if its
     * chunks are signed; to as many bytes, if not (the caller's checksum is what catches damage to unsigned data).
     */
    @Test
    void randomlyDamagedSdkBodiesAreRefusedNeverMisread() {
        long seed = Long.getLong("fuzz.seed", System.nanoTime());
        Random random = new Random(seed);
        byte[] object = PayloadDecoderTest.object(130 * 1024);
        for (PayloadDecoderTest.Streaming form : PayloadDecoderTest.Streaming.values()) {
            Sent sent = form.send(object);
            SigV4Request request = PayloadDecoderTest.verifiedByS3(sent);
            Authenticated authenticated = PayloadDecoderTest.authenticated(request);
            for (int i = 0; i < 300; i++) {
                byte[] damaged = damage(sent.body(), random);
                String replay = form + " #" + i + ", replay with -Dfuzz.seed=" + seed;
                try {
                    byte[] decoded = readWithin(Duration.ofSeconds(5), PayloadDecoder.open(
                            new ByteArrayInputStream(damaged), request, authenticated));
                    assertThat(form.payloadSigning ? Arrays.equals(decoded, object) : decoded.length == object.length)
                            .as("damaged body decoded as something else: " + replay).isTrue();
                } catch (PayloadException expected) {
                    // refused, as it should be
                } catch (IOException | RuntimeException e) {
                    fail("not a PayloadException: " + replay, e);
                }
            }
        }
    }

    private static byte[] damage(byte[] body, Random random) {
        byte[] damaged = body.clone();
        int at = random.nextInt(body.length);
        // Damage lands in the framing, where the parser has decisions to make, as often as in the data.
        if (random.nextBoolean()) {
            at = random.nextBoolean() ? random.nextInt(Math.min(100, body.length))
                    : body.length - 1 - random.nextInt(Math.min(200, body.length));
        }
        return switch (random.nextInt(4)) {
            case 0 -> {
                damaged[at] = (byte) random.nextInt(256);
                yield damaged;
            }
            case 1 -> Arrays.copyOf(body, at);
            case 2 -> concat(Arrays.copyOf(body, at), Arrays.copyOfRange(body, at + 1, body.length));
            default -> concat(Arrays.copyOf(body, at), new byte[] {(byte) "0;\r\n:a".charAt(random.nextInt(6))},
                    Arrays.copyOfRange(body, at, body.length));
        };
    }

    private static byte[] readWithin(Duration limit, PayloadDecoder decoder) throws IOException {
        long deadline = System.nanoTime() + limit.toNanos();
        byte[] buffer = new byte[8192];
        var out = new java.io.ByteArrayOutputStream();
        for (int n = decoder.read(buffer); n >= 0; n = decoder.read(buffer)) {
            out.write(buffer, 0, n);
            if (System.nanoTime() > deadline) {
                fail("still reading after " + limit);
            }
        }
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        var out = new java.io.ByteArrayOutputStream();
        Arrays.stream(parts).forEach(out::writeBytes);
        return out.toByteArray();
    }

    private static SigV4Request request(String contentSha256, String decodedLength) {
        return new SigV4Request("PUT", "/bucket/key", "", Map.of(
                "x-amz-content-sha256", List.of(contentSha256),
                "x-amz-decoded-content-length", List.of(decodedLength),
                "x-amz-trailer", List.of("x-amz-checksum-crc32")),
                contentSha256, false);
    }

    private static PayloadDecoder open(String contentSha256, int decodedLength, String body) {
        try {
            return PayloadDecoder.open(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)),
                    request(contentSha256, Integer.toString(decodedLength)), ANYONE);
        } catch (PayloadException e) {
            throw new AssertionError(e);
        }
    }

    private static void assertRefused(PayloadDecoder decoder, String code) {
        assertThatThrownBy(decoder::readAllBytes)
                .isInstanceOfSatisfying(PayloadException.class, e -> assertThat(e.code()).isEqualTo(code));
    }

    private static String unescape(String csv) {
        return csv.replace("\\r", "\r").replace("\\n", "\n");
    }
}
