package dev.meridian.core.auth;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Decodes an aws-chunked body, {@code hex-size[;chunk-signature=sig] CRLF data CRLF ... 0[;...] CRLF trailers CRLF},
 * checking each chunk's signature once its last byte is read and the total against x-amz-decoded-content-length.
 *
 * <p>Streams: holds one 64 KiB read buffer, never a chunk. So a chunk's first bytes reach the reader before its
 * signature is checked; only the end of the stream vouches for the whole body.
 *
 * <p>Not thread-safe: one reader per request body.
 */
final class AwsChunkedStream extends BlockReadStream {
    /** SDKs send 64 or 128 KiB chunks; the cap keeps a chunk's size in an int and refuses nonsense early. */
    static final int MAX_CHUNK_BYTES = 16 * 1024 * 1024;
    /** A size line is at most 8 hex digits and an 81-byte signature extension; this is generous. */
    static final int MAX_SIZE_LINE = 1024;
    private static final String SIGNATURE_EXTENSION = "chunk-signature=";
    private static final int SIGNATURE_HEX_LENGTH = 64;

    private enum State { SIZE_LINE, DATA, END }

    private final InputStream in;
    private final long declaredLength;
    private final Set<String> declaredTrailers;
    private final boolean trailer;
    private final Optional<ChunkSignatures> signatures;
    private final MessageDigest chunkDigest = Sha256.newDigest();

    private State state = State.SIZE_LINE;
    private int chunkRemaining;
    private String chunkSignature = "";
    private long decoded;
    private Map<String, String> trailers = Map.of();

    /**
     * @param declaredLength x-amz-decoded-content-length
     * @param declaredTrailers the lowercase names x-amz-trailer lists
     * @param signatures the request's chunk signatures; empty for an unsigned payload
     */
    AwsChunkedStream(InputStream body, long declaredLength, Set<String> declaredTrailers, boolean trailer,
            Optional<ChunkSignatures> signatures) {
        // Size and trailer lines are parsed byte by byte, from this buffer; data still moves in blocks.
        this.in = new BufferedInputStream(body, 64 * 1024);
        this.declaredLength = declaredLength;
        this.declaredTrailers = Set.copyOf(declaredTrailers);
        this.trailer = trailer;
        this.signatures = signatures;
    }

    /** The trailing headers by lowercase name; empty until the stream has ended. */
    Map<String, String> trailers() {
        return trailers;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        while (true) {
            switch (state) {
                case SIZE_LINE -> startChunk();
                case DATA -> {
                    return readData(b, off, len);
                }
                case END -> {
                    return -1;
                }
            }
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    private void startChunk() throws IOException {
        String line = CrlfLines.read(in, MAX_SIZE_LINE, PayloadException::malformedChunk);
        int semicolon = line.indexOf(';');
        int size = chunkSize(semicolon < 0 ? line : line.substring(0, semicolon));
        chunkSignature = signature(semicolon < 0 ? Optional.empty() : Optional.of(line.substring(semicolon + 1)));
        if (size > declaredLength - decoded) {
            throw PayloadException.incompleteBody("the body holds more than " + declaredLength + " bytes");
        }
        if (size > 0) {
            chunkRemaining = size;
            state = State.DATA;
        } else {
            finish();
        }
    }

    private int readData(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, Math.min(len, chunkRemaining));
        if (n < 0) {
            throw PayloadException.incompleteBody("the body ends inside a chunk, after " + decoded + " bytes");
        }
        if (signatures.isPresent()) {
            chunkDigest.update(b, off, n);
        }
        chunkRemaining -= n;
        decoded += n;
        if (chunkRemaining == 0) {
            checkChunkSignature();
            CrlfLines.readCrlf(in, "a chunk's data");
            state = State.SIZE_LINE;
        }
        return n;
    }

    /** The final, empty chunk: its signature, the trailers, the total, and nothing after. */
    private void finish() throws IOException {
        checkChunkSignature();
        if (trailer) {
            trailers = TrailerSection.read(in, declaredTrailers, signatures);
        } else {
            CrlfLines.readCrlf(in, "the final chunk");
        }
        if (decoded != declaredLength) {
            throw PayloadException.incompleteBody("the body holds " + decoded + " bytes, not " + declaredLength);
        }
        if (in.read() >= 0) {
            throw PayloadException.malformedChunk("data after the final chunk");
        }
        state = State.END;
    }

    private void checkChunkSignature() throws PayloadException {
        if (signatures.isPresent()) {
            signatures.get().checkChunk(chunkDigest.digest(), chunkSignature);
        }
    }

    private static int chunkSize(String hex) throws PayloadException {
        // Eight hex digits hold any size up to the cap; Integer.parseInt alone would also take a sign.
        if (hex.isEmpty() || hex.length() > 8 || !hex.chars().allMatch(AwsChunkedStream::isHexDigit)) {
            throw PayloadException.malformedChunk("chunk size is not 1 to 8 hex digits");
        }
        long size = Long.parseLong(hex, 16);
        if (size > MAX_CHUNK_BYTES) {
            throw PayloadException.malformedChunk("chunk of " + size + " bytes, above the " + MAX_CHUNK_BYTES
                    + " allowed");
        }
        return (int) size;
    }

    /** The chunk's signature from its extension, which a signed payload must have and an unsigned one must not. */
    private String signature(Optional<String> extension) throws PayloadException {
        if (signatures.isEmpty()) {
            if (extension.isPresent()) {
                throw PayloadException.malformedChunk("chunk extension in an unsigned payload");
            }
            return "";
        }
        return extension.filter(e -> e.startsWith(SIGNATURE_EXTENSION))
                .map(e -> e.substring(SIGNATURE_EXTENSION.length()))
                .filter(s -> s.length() == SIGNATURE_HEX_LENGTH && s.chars().allMatch(AwsChunkedStream::isHexDigit))
                .orElseThrow(() -> PayloadException.malformedChunk(
                        "a signed payload's chunk needs exactly one extension, chunk-signature=<64 hex digits>"));
    }

    private static boolean isHexDigit(int c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
