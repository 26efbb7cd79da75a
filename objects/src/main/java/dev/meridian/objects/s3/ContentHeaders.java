package dev.meridian.objects.s3;

import dev.meridian.objects.ObjectContent;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The headers S3 stores with an object and gives back on GET and HEAD: the content headers, and user metadata
 * ({@code x-amz-meta-*}, at most 2 KB of it, names stored lowercase).
 */
final class ContentHeaders {
    /** S3's limit on the user metadata of a PUT: names and values, UTF-8. */
    static final int MAX_USER_METADATA_BYTES = 2048;
    static final String META_PREFIX = "x-amz-meta-";
    /** What S3 answers as Content-Type when the object was stored without one. */
    static final String DEFAULT_CONTENT_TYPE = "binary/octet-stream";

    /** The stored content headers: lowercase request name to the name S3 answers with. */
    private static final Map<String, String> STORED = Map.of(
            "content-type", "Content-Type",
            "content-encoding", "Content-Encoding",
            "content-disposition", "Content-Disposition",
            "content-language", "Content-Language",
            "cache-control", "Cache-Control",
            "expires", "Expires",
            "x-amz-website-redirect-location", "x-amz-website-redirect-location");

    private ContentHeaders() {}

    /** What a PUT, a copy with REPLACE, or CreateMultipartUpload stores from its request headers. */
    static ObjectContent of(S3Request request) {
        Map<String, String> headers = new TreeMap<>();
        Map<String, String> metadata = new TreeMap<>();
        int metadataBytes = 0;
        for (Map.Entry<String, String> header : request.headers().entrySet()) {
            String name = header.getKey();
            String stored = STORED.get(name);
            if (stored != null) {
                String value = name.equals("content-encoding") ? withoutAwsChunked(header.getValue()) : header.getValue();
                if (!value.isEmpty()) {
                    headers.put(stored, value);
                }
            } else if (name.startsWith(META_PREFIX)) {
                String metaName = name.substring(META_PREFIX.length());
                metadata.put(metaName, header.getValue());
                metadataBytes += utf8Length(metaName) + utf8Length(header.getValue());
            }
        }
        if (metadataBytes > MAX_USER_METADATA_BYTES) {
            throw new S3Exception(S3Error.METADATA_TOO_LARGE)
                    .with("Size", Integer.toString(metadataBytes))
                    .with("MaxSizeAllowed", Integer.toString(MAX_USER_METADATA_BYTES));
        }
        return new ObjectContent(headers, metadata);
    }

    /** The response headers for a stored object, with any {@code response-*} overrides of a GET applied. */
    static Map<String, String> response(ObjectContent content, S3Request request) {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("Content-Type", content.headers().getOrDefault("Content-Type", DEFAULT_CONTENT_TYPE));
        content.headers().forEach(out::putIfAbsent);
        content.userMetadata().forEach((name, value) -> out.put(META_PREFIX + name, value));
        for (String stored : STORED.values()) {
            request.param("response-" + stored.toLowerCase(Locale.ROOT)).ifPresent(value -> out.put(stored, value));
        }
        return out;
    }

    // The SDK marks its chunked uploads "aws-chunked"; that framing is not part of what the object is.
    private static String withoutAwsChunked(String contentEncoding) {
        return String.join(",", Arrays.stream(contentEncoding.split(","))
                .map(String::trim)
                .filter(e -> !e.isEmpty() && !e.equalsIgnoreCase("aws-chunked"))
                .toList());
    }

    private static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
