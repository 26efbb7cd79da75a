package dev.meridian.core.auth;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A request as SigV4 signs it: method, path and query exactly as sent, headers, and the payload hash.
 *
 * @param method the HTTP method, e.g. {@code POST}
 * @param rawPath the path as sent, still percent-encoded, without the query
 * @param rawQuery the query string as sent, without {@code ?}; empty when there is none
 * @param headers every header; names in any case, each name's values in the order received
 * @param payloadHash the lowercase hex SHA-256 of the body, or the literal {@code x-amz-content-sha256} value
 *     ({@code UNSIGNED-PAYLOAD}, {@code STREAMING-AWS4-HMAC-SHA256-PAYLOAD}) where the API trusts that header, as
 *     S3 does ({@link PayloadDecoder#s3PayloadHash})
 * @param doubleEncodePath true for every service but S3, which signs the path encoded once and not normalized
 */
public record SigV4Request(String method, String rawPath, String rawQuery, Map<String, List<String>> headers,
        String payloadHash, boolean doubleEncodePath) {
    public SigV4Request {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(rawPath, "rawPath");
        Objects.requireNonNull(rawQuery, "rawQuery");
        Objects.requireNonNull(payloadHash, "payloadHash");
        headers = lowerCaseNames(Objects.requireNonNull(headers, "headers"));
    }

    /**
     * Request headers as SigV4 signs them, from an HTTP stack's headers: pseudo-headers left out, and HTTP/2's
     * {@code :authority} signed as {@code host}, which HTTP/2 does not carry otherwise.
     */
    public static Map<String, List<String>> headersOf(Iterable<? extends Map.Entry<? extends CharSequence, String>> headers,
            String authority) {
        Map<String, List<String>> byName = new LinkedHashMap<>();
        for (Map.Entry<? extends CharSequence, String> header : headers) {
            String name = header.getKey().toString();
            if (!name.startsWith(":")) {
                byName.computeIfAbsent(name, k -> new ArrayList<>()).add(header.getValue());
            }
        }
        if (authority != null && !byName.containsKey("host")) {
            byName.put("host", List.of(authority));
        }
        return byName;
    }

    /** The values of a header, by its lowercase name; empty when absent. */
    List<String> header(String lowerCaseName) {
        return headers.getOrDefault(lowerCaseName, List.of());
    }

    Optional<String> firstHeader(String lowerCaseName) {
        return header(lowerCaseName).stream().findFirst();
    }

    // Header names are case-insensitive, so "Host" and "host" are one header whose values SigV4 joins.
    private static Map<String, List<String>> lowerCaseNames(Map<String, List<String>> headers) {
        Map<String, List<String>> merged = new LinkedHashMap<>();
        headers.forEach((name, values) ->
                merged.computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new ArrayList<>()).addAll(values));
        merged.replaceAll((name, values) -> List.copyOf(values));
        return Map.copyOf(merged);
    }
}
