package dev.meridian.core.auth;

import java.net.URI;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Builds SigV4's canonical request from what the server received, re-encoding path and query canonically so a
 * client's harmless encoding choices (lowercase hex, an escaped {@code ~}) do not break its signature.
 */
final class CanonicalRequest {
    private static final Pattern WHITESPACE_RUN = Pattern.compile("[ \\t\\n\\x0B\\f\\r]+");

    private CanonicalRequest() {}

    static String of(SigV4Request request, List<QueryParam> query, List<String> signedHeaders, boolean presigned) {
        return request.method() + '\n'
                + uri(request.rawPath(), request.doubleEncodePath()) + '\n'
                + query(query, presigned) + '\n'
                + headers(request, signedHeaders) + '\n'
                + String.join(";", signedHeaders) + '\n'
                + request.payloadHash();
    }

    static String uri(String rawPath, boolean doubleEncode) {
        String path = doubleEncode ? normalized(rawPath) : rawPath;
        if (path.isEmpty()) {
            return "/";
        }
        // Segment by segment, so an escaped slash (%2F) inside a segment stays escaped.
        String[] segments = path.split("/", -1);
        StringBuilder out = new StringBuilder(path.length() + 16);
        for (int i = 0; i < segments.length; i++) {
            if (i > 0) {
                out.append('/');
            }
            String once = UriEncoding.encode(UriEncoding.decode(segments[i]));
            out.append(doubleEncode ? UriEncoding.encode(once) : once);
        }
        return out.toString();
    }

    /**
     * Removes dot segments and repeated slashes as the AWS SDKs do before signing for services other than S3,
     * keeping a trailing slash only if the request had one.
     */
    private static String normalized(String rawPath) {
        String normalized;
        try {
            normalized = URI.create(rawPath).normalize().getRawPath();
        } catch (IllegalArgumentException e) {
            return rawPath;
        }
        if (normalized == null) {
            return rawPath;
        }
        if (normalized.length() > 1 && normalized.endsWith("/") && !rawPath.endsWith("/")) {
            return normalized.substring(0, normalized.length() - 1);
        }
        return normalized;
    }

    private static String query(List<QueryParam> query, boolean presigned) {
        return query.stream()
                .filter(p -> !p.name().isEmpty())
                .filter(p -> !(presigned && p.name().equals(PresignedQuery.SIGNATURE_PARAM)))
                .map(p -> new QueryParam(UriEncoding.encode(p.name()), UriEncoding.encode(p.value())))
                .sorted(Comparator.comparing(QueryParam::name).thenComparing(QueryParam::value))
                .map(p -> p.name() + '=' + p.value())
                .collect(Collectors.joining("&"));
    }

    private static String headers(SigV4Request request, List<String> signedHeaders) {
        StringBuilder out = new StringBuilder(512);
        for (String name : signedHeaders) {
            out.append(name).append(':');
            out.append(request.header(name).stream().map(CanonicalRequest::trimmed).collect(Collectors.joining(",")));
            out.append('\n');
        }
        return out.toString();
    }

    /** Trims a header value and collapses each run of whitespace inside it to one space. */
    static String trimmed(String value) {
        String collapsed = WHITESPACE_RUN.matcher(value).replaceAll(" ");
        int start = collapsed.startsWith(" ") ? 1 : 0;
        int end = collapsed.endsWith(" ") ? collapsed.length() - 1 : collapsed.length();
        return start >= end ? "" : collapsed.substring(start, end);
    }
}
