package dev.meridian.objects.s3;

import dev.meridian.objects.blob.Checksum;
import dev.meridian.objects.blob.StagedBlob;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The integrity checks a write asks for: Content-MD5, {@code x-amz-checksum-*} headers, a checksum sent as a trailer
 * of an {@code aws-chunked} body, and algorithms to compute without a value to compare ({@code x-amz-checksum-algorithm}).
 * Bytes that fail a check never become an object.
 */
final class ChecksumExpectations {
    private final Optional<byte[]> contentMd5;
    private final Map<Checksum, byte[]> expected;
    private final Optional<Checksum> trailer;
    private final Set<Checksum> computed;

    private ChecksumExpectations(Optional<byte[]> contentMd5, Map<Checksum, byte[]> expected, Optional<Checksum> trailer,
            Set<Checksum> computed) {
        this.contentMd5 = contentMd5;
        this.expected = expected;
        this.trailer = trailer;
        this.computed = computed;
    }

    /** Reads the checks from the request headers; a malformed value is refused as S3 refuses it. */
    static ChecksumExpectations of(S3Request request) {
        Optional<byte[]> md5 = request.header("content-md5").map(ChecksumExpectations::contentMd5);
        Map<Checksum, byte[]> expected = new EnumMap<>(Checksum.class);
        Set<Checksum> computed = EnumSet.noneOf(Checksum.class);
        for (Checksum checksum : Checksum.values()) {
            request.header(checksum.header()).ifPresent(value -> expected.put(checksum, decode(checksum, value)));
        }
        Optional<Checksum> trailer = request.header("x-amz-trailer")
                .map(name -> name.trim().toLowerCase(Locale.ROOT))
                .flatMap(name -> Arrays.stream(Checksum.values()).filter(c -> c.header().equals(name)).findFirst());
        trailer.ifPresent(computed::add);
        for (String header : new String[] {"x-amz-sdk-checksum-algorithm", "x-amz-checksum-algorithm"}) {
            request.header(header).ifPresent(name -> computed.add(algorithm(name)));
        }
        computed.addAll(expected.keySet());
        return new ChecksumExpectations(md5, expected, trailer, computed);
    }

    /** The algorithm a request names ({@code CRC32}, {@code crc32c}, …), or S3's refusal of one it does not know. */
    static Checksum algorithm(String name) {
        return Checksum.named(name).orElseThrow(() -> new S3Exception(S3Error.INVALID_REQUEST, "Checksum algorithm "
                + "provided is unsupported. Please try again with any of the valid types: [CRC32, CRC32C, CRC64NVME, "
                + "SHA1, SHA256]"));
    }

    /** Every algorithm to compute while the bytes stream in. */
    Set<Checksum> algorithms() {
        return computed;
    }

    /**
     * Checks staged bytes against every expectation, the trailer's once the body has been read; on failure the
     * staged bytes are discarded and S3's error thrown.
     */
    void verify(StagedBlob staged, Map<String, String> trailers) {
        try {
            if (contentMd5.isPresent() && !MessageDigest.isEqual(contentMd5.get(), staged.md5())) {
                throw new S3Exception(S3Error.BAD_DIGEST);
            }
            Map<Checksum, byte[]> all = new EnumMap<>(expected);
            trailer.ifPresent(checksum -> {
                String value = trailers.get(checksum.header());
                if (value == null) {
                    throw new S3Exception(S3Error.INVALID_REQUEST,
                            "The trailer " + checksum.header() + " named by x-amz-trailer was not sent");
                }
                all.put(checksum, decode(checksum, value));
            });
            all.forEach((checksum, value) -> {
                if (!MessageDigest.isEqual(value, staged.checksums().get(checksum))) {
                    throw new S3Exception(S3Error.BAD_DIGEST,
                            "The " + checksum.name() + " you specified did not match the calculated checksum.");
                }
            });
        } catch (S3Exception e) {
            staged.discard();
            throw e;
        }
    }

    private static byte[] contentMd5(String value) {
        try {
            byte[] md5 = Base64.getDecoder().decode(value.trim());
            if (md5.length == 16) {
                return md5;
            }
        } catch (IllegalArgumentException e) {
            // refused below
        }
        throw new S3Exception(S3Error.INVALID_DIGEST);
    }

    private static byte[] decode(Checksum checksum, String value) {
        try {
            byte[] bytes = Base64.getDecoder().decode(value.trim());
            if (bytes.length == checksum.length()) {
                return bytes;
            }
        } catch (IllegalArgumentException e) {
            // refused below
        }
        throw new S3Exception(S3Error.INVALID_REQUEST, "Value for " + checksum.header() + " header is invalid.");
    }
}
