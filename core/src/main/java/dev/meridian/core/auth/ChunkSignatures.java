package dev.meridian.core.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Checks the chain of signatures in an aws-chunked body: each signs its chunk's hash and the signature before it
 * (the first, the request's), so chunks cannot be dropped, reordered or replayed into another request.
 *
 * <p>Not thread-safe: one per request body, used by the thread reading it.
 */
final class ChunkSignatures {
    private final SeedSignature seed;
    private String previous;

    ChunkSignatures(SeedSignature seed) {
        this.seed = seed;
        this.previous = seed.signature();
    }

    /** @param dataSha256 the SHA-256 of the chunk's data (of nothing, for the final chunk) */
    void checkChunk(byte[] dataSha256, String claimed) throws PayloadException {
        check("AWS4-HMAC-SHA256-PAYLOAD", Sha256.EMPTY_HEX + '\n' + Sha256.hex(dataSha256), claimed, "chunk");
    }

    /** @param canonicalTrailers the trailing headers as {@code name:value\n} lines, sorted by name */
    void checkTrailer(String canonicalTrailers, String claimed) throws PayloadException {
        check("AWS4-HMAC-SHA256-TRAILER", Sha256.hex(Sha256.of(canonicalTrailers)), claimed, "trailer");
    }

    private void check(String algorithm, String hashes, String claimed, String what) throws PayloadException {
        String stringToSign = algorithm + '\n' + seed.amzDate() + '\n' + seed.scope() + '\n' + previous + '\n' + hashes;
        String expected = Sha256.hex(SigningKeys.hmac(seed.signingKey(), stringToSign));
        if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                claimed.getBytes(StandardCharsets.US_ASCII))) {
            throw PayloadException.signatureMismatch(what);
        }
        previous = expected;
    }
}
