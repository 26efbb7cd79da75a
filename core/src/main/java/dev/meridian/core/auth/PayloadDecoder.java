package dev.meridian.core.auth;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The body of a verified S3 request, decoded and checked as it is read, as its {@code x-amz-content-sha256} says:
 * against its SHA-256, or from aws-chunked framing against each chunk's signature and x-amz-decoded-content-length,
 * or taken as is.
 *
 * <p>Reaching the end (-1) without a {@link PayloadException} is what proves the body: bytes read before then may
 * belong to a chunk whose signature is checked only once its last byte is read, so nothing read may be made
 * visible until then. A refusal, once thrown, is thrown again by every later read.
 *
 * <p>Not thread-safe: one reader per request body.
 */
public final class PayloadDecoder extends BlockReadStream {
    static final String CONTENT_SHA256 = "x-amz-content-sha256";
    static final String UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";

    private final InputStream decoded;
    private final Supplier<Map<String, String>> trailers;
    private boolean ended;
    private PayloadException refusal;

    private PayloadDecoder(InputStream decoded, Supplier<Map<String, String>> trailers) {
        this.decoded = decoded;
        this.trailers = trailers;
    }

    /**
     * What an S3 request's signature covers in place of a body hash, the {@code payloadHash} of its
     * {@link SigV4Request}: the {@code x-amz-content-sha256} header, which the Authorization header form must send;
     * for a presigned URL, made before its body existed, {@code UNSIGNED-PAYLOAD} unless it names a hash.
     *
     * @param headers the request's headers, names in any case
     * @param rawQuery the query string as sent, without {@code ?}
     * @throws PayloadException {@code InvalidRequest} if the header is missing, {@code InvalidArgument} if it is none
     *     of the values S3 knows
     */
    public static String s3PayloadHash(Map<String, List<String>> headers, String rawQuery) throws PayloadException {
        Optional<String> header = headers.entrySet().stream()
                .filter(e -> e.getKey().equalsIgnoreCase(CONTENT_SHA256))
                .flatMap(e -> e.getValue().stream())
                .findFirst();
        List<QueryParam> query = QueryParam.parse(rawQuery);
        String payloadHash;
        if (PresignedQuery.isPresigned(query)) {
            // As AWS's own SDKs presign: a hash hoisted into the query, or sent as a header, else none.
            payloadHash = query.stream().filter(p -> p.name().equalsIgnoreCase(CONTENT_SHA256))
                    .map(QueryParam::value).findFirst().or(() -> header).orElse(UNSIGNED_PAYLOAD);
        } else if (headers.keySet().stream().anyMatch(name -> name.equalsIgnoreCase("authorization"))) {
            payloadHash = header.orElseThrow(() -> PayloadException.invalidRequest(
                    "Missing required header for this request: " + CONTENT_SHA256));
        } else {
            // Not signed at all: the verifier refuses it, whatever this returns.
            payloadHash = header.orElse(UNSIGNED_PAYLOAD);
        }
        PayloadForm.of(payloadHash); // refuses a value S3 does not know
        return payloadHash;
    }

    /**
     * Starts decoding a verified request's body.
     *
     * @param body the body as received
     * @param request the request as verified, its payload hash from {@link #s3PayloadHash}
     * @param authenticated the verifier's answer for {@code request}
     * @throws PayloadException if the headers describing an aws-chunked body are missing or malformed
     */
    public static PayloadDecoder open(InputStream body, SigV4Request request, Authenticated authenticated)
            throws PayloadException {
        Objects.requireNonNull(body, "body");
        PayloadForm form = PayloadForm.of(request.payloadHash());
        if (form.chunked()) {
            AwsChunkedStream chunked = new AwsChunkedStream(body, decodedLength(request),
                    form.trailer() ? declaredTrailers(request) : Set.of(), form.trailer(),
                    form.signedChunks() ? Optional.of(new ChunkSignatures(authenticated.seed())) : Optional.empty());
            return new PayloadDecoder(chunked, chunked::trailers);
        }
        return new PayloadDecoder(form == PayloadForm.SHA256 ? new Sha256CheckedStream(body, request.payloadHash())
                : body, Map::of);
    }

    /**
     * The trailing headers of an aws-chunked body by lowercase name (e.g. {@code x-amz-checksum-crc32}), for the
     * caller to check; signed, when the payload is. Empty for other bodies.
     *
     * @throws IllegalStateException before the body has been read to its end
     */
    public Map<String, String> trailers() {
        if (!ended) {
            throw new IllegalStateException("trailers follow the body: read it to its end first");
        }
        return trailers.get();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (refusal != null) {
            throw refusal;
        }
        try {
            int n = decoded.read(b, off, len);
            ended |= n < 0;
            return n;
        } catch (PayloadException e) {
            refusal = e;
            throw e;
        }
    }

    @Override
    public void close() throws IOException {
        decoded.close();
    }

    private static long decodedLength(SigV4Request request) throws PayloadException {
        String value = request.firstHeader("x-amz-decoded-content-length")
                .orElseThrow(PayloadException::missingDecodedLength);
        try {
            long length = Long.parseLong(value);
            if (length >= 0) {
                return length;
            }
        } catch (NumberFormatException e) {
            // refused below, as a negative length is
        }
        throw PayloadException.invalidArgument("x-amz-decoded-content-length must be a non-negative integer");
    }

    private static Set<String> declaredTrailers(SigV4Request request) {
        return request.header("x-amz-trailer").stream()
                .flatMap(value -> Arrays.stream(value.split(",")))
                .map(name -> name.trim().toLowerCase(Locale.ROOT))
                .filter(name -> !name.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
    }
}
