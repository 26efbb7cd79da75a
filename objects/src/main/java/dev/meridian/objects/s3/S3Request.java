package dev.meridian.objects.s3;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * One S3 request, addressed and authenticated: the bucket and key it names (path-style or virtual-hosted-style),
 * its query parameters decoded, its headers, and its body already decoded from any {@code aws-chunked} framing and
 * verified against its signature as it is read.
 *
 * @param bucket the bucket, or null for the service (ListBuckets)
 * @param key the object key, or null for a bucket-level request
 * @param query decoded query parameters; a parameter without a value maps to the empty string
 * @param headers lowercase header names to their first value
 * @param body the decoded body; read it at most once
 * @param trailers the trailing headers of an {@code aws-chunked} body, known once the body has been read
 */
public record S3Request(String method, String bucket, String key, Map<String, String> query,
        Map<String, String> headers, InputStream body, Supplier<Map<String, String>> trailers, String requestId) {

    public Optional<String> header(String lowerCaseName) {
        return Optional.ofNullable(headers.get(lowerCaseName));
    }

    public Optional<String> param(String name) {
        return Optional.ofNullable(query.get(name));
    }

    public boolean has(String param) {
        return query.containsKey(param);
    }

    /** The resource the error document names: the path as S3 echoes it. */
    public String resource() {
        if (bucket == null) {
            return "/";
        }
        return key == null ? "/" + bucket : "/" + bucket + "/" + key;
    }

    /**
     * Splits a request target into bucket and key: from the host for virtual-hosted-style requests
     * ({@code bucket.localhost}, {@code bucket.s3.<anything>}), else from the first path segment.
     */
    static String[] address(String host, String rawPath) {
        String path = percentDecode(rawPath, false);
        String path1 = path.startsWith("/") ? path.substring(1) : path;
        Optional<String> hostBucket = virtualHostBucket(host);
        if (hostBucket.isPresent()) {
            return new String[] {hostBucket.get(), path1.isEmpty() ? null : path1};
        }
        if (path1.isEmpty()) {
            return new String[] {null, null};
        }
        int slash = path1.indexOf('/');
        if (slash < 0) {
            return new String[] {path1, null};
        }
        String key = path1.substring(slash + 1);
        return new String[] {path1.substring(0, slash), key.isEmpty() ? null : key};
    }

    /** The bucket a virtual-hosted-style Host header names, if it names one. */
    static Optional<String> virtualHostBucket(String host) {
        if (host == null) {
            return Optional.empty();
        }
        String name = host.toLowerCase(Locale.ROOT);
        int colon = name.lastIndexOf(':');
        if (colon > 0 && name.indexOf(']') < colon) {
            name = name.substring(0, colon);
        }
        for (String service : List.of(".localhost", ".s3.", ".s3-")) {
            int at = name.indexOf(service);
            if (at > 0) {
                return Optional.of(name.substring(0, at));
            }
        }
        return Optional.empty();
    }

    /** Decodes a raw query string; {@code +} is a space, as S3 reads it. */
    static Map<String, String> parseQuery(String rawQuery) {
        Map<String, String> params = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return params;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = percentDecode(eq < 0 ? pair : pair.substring(0, eq), true);
            String value = eq < 0 ? "" : percentDecode(pair.substring(eq + 1), true);
            params.putIfAbsent(name, value);
        }
        return params;
    }

    /** Percent-decodes UTF-8; malformed escapes are kept as they are, as S3 does not refuse them. */
    static String percentDecode(String raw, boolean plusIsSpace) {
        if (raw.indexOf('%') < 0 && (!plusIsSpace || raw.indexOf('+') < 0)) {
            return raw;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%' && i + 2 < raw.length() && hex(raw.charAt(i + 1)) >= 0 && hex(raw.charAt(i + 2)) >= 0) {
                out.write(hex(raw.charAt(i + 1)) * 16 + hex(raw.charAt(i + 2)));
                i += 2;
            } else if (c == '+' && plusIsSpace) {
                out.write(' ');
            } else {
                int codePoint = raw.codePointAt(i);
                out.writeBytes(Character.toString(codePoint).getBytes(StandardCharsets.UTF_8));
                i += Character.charCount(codePoint) - 1;
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static int hex(char c) {
        return Character.digit(c, 16);
    }
}
