package dev.meridian.core.auth;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Reads the trailing headers after an aws-chunked body's final chunk, up to the blank line that ends them: exactly
 * those {@code x-amz-trailer} declared, each once, and for a signed payload the {@code x-amz-trailer-signature} over
 * them.
 */
final class TrailerSection {
    /** Far above the one or two checksums clients send; bounds what a body can make us hold. */
    static final int MAX_BYTES = 16 * 1024;
    private static final String SIGNATURE = "x-amz-trailer-signature";

    private TrailerSection() {}

    /**
     * @param declared the lowercase names {@code x-amz-trailer} lists
     * @param signatures the body's chunk signatures, which the trailer signature continues; empty when unsigned
     * @return the trailers by lowercase name, values trimmed
     */
    static Map<String, String> read(InputStream in, Set<String> declared, Optional<ChunkSignatures> signatures)
            throws IOException {
        // Sorted, as the canonical form the trailer signature covers lists them.
        SortedMap<String, String> trailers = new TreeMap<>();
        Optional<String> signature = Optional.empty();
        int remaining = MAX_BYTES;
        while (true) {
            if (remaining < 2) {
                throw PayloadException.malformedTrailer("trailing headers longer than " + MAX_BYTES + " bytes");
            }
            String line = CrlfLines.read(in, remaining - 2, PayloadException::malformedTrailer);
            remaining -= line.getBytes(StandardCharsets.UTF_8).length + 2;
            if (line.isEmpty()) {
                break;
            }
            int colon = line.indexOf(':');
            if (colon < 0) {
                throw PayloadException.malformedTrailer("a trailing header without ':'");
            }
            String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = CanonicalRequest.trimmed(line.substring(colon + 1));
            if (name.equals(SIGNATURE) && signatures.isPresent() && signature.isEmpty()) {
                signature = Optional.of(value);
            } else if (!declared.contains(name) || trailers.putIfAbsent(name, value) != null) {
                throw PayloadException.malformedTrailer("'" + name + "' is not declared in x-amz-trailer, or repeated");
            }
        }
        if (!trailers.keySet().containsAll(declared)) {
            throw PayloadException.malformedTrailer("x-amz-trailer declares " + declared + " but the body has "
                    + trailers.keySet());
        }
        if (signatures.isPresent()) {
            signatures.get().checkTrailer(canonical(trailers), signature.orElseThrow(
                    () -> PayloadException.malformedTrailer("no " + SIGNATURE + " after a signed payload")));
        }
        return Map.copyOf(trailers);
    }

    private static String canonical(SortedMap<String, String> trailers) {
        StringBuilder text = new StringBuilder(128);
        trailers.forEach((name, value) -> text.append(name).append(':').append(value).append('\n'));
        return text.toString();
    }
}
