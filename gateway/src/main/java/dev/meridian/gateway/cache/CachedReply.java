package dev.meridian.gateway.cache;

import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpHeaders;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.ResponseHeadersBuilder;
import io.netty.util.AsciiString;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Answers a request from a stored response: the whole body, one byte range of it (206 or 416), or a 304 when
 * the client's validators still match; HEAD gets the headers alone.
 */
final class CachedReply {
    static final AsciiString X_CACHE = HttpHeaderNames.of("x-cache");
    /** What a 304 carries over from the 200 it stands for (RFC 9110 §15.4.5). */
    private static final List<AsciiString> KEPT_ON_NOT_MODIFIED = List.of(HttpHeaderNames.CACHE_CONTROL,
            HttpHeaderNames.CONTENT_LOCATION, HttpHeaderNames.DATE, HttpHeaderNames.ETAG, HttpHeaderNames.EXPIRES,
            HttpHeaderNames.LAST_MODIFIED, HttpHeaderNames.VARY);

    private CachedReply() {}

    /** The reply, or empty when the stored body was deleted since the lookup (the caller goes to the origin). */
    static Optional<HttpResponse> of(CachedResponse stored, RequestHeaders request, CacheResult result, long nowMillis) {
        ResponseHeaders headers = stored.headers();
        long ageSeconds = stored.freshness().ageMillis(nowMillis) / 1000;
        boolean complete = headers.status().equals(HttpStatus.OK);
        if (complete && isNotModified(request, headers)) {
            ResponseHeadersBuilder notModified = ResponseHeaders.builder(HttpStatus.NOT_MODIFIED);
            KEPT_ON_NOT_MODIFIED.forEach(name -> headers.getAll(name).forEach(value -> notModified.add(name, value)));
            return Optional.of(HttpResponse.of(label(notModified, ageSeconds, result).build()));
        }
        long length = stored.body().length();
        RangeAnswer range = complete && request.method() == HttpMethod.GET && request.contains(HttpHeaderNames.RANGE)
                && ifRangeHolds(request, headers)
                ? RangeAnswer.of(request.get(HttpHeaderNames.RANGE, ""), length) : new RangeAnswer.Whole();
        if (range instanceof RangeAnswer.Unsatisfiable) {
            ResponseHeadersBuilder unsatisfiable = ResponseHeaders.builder(HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE)
                    .set(HttpHeaderNames.CONTENT_RANGE, "bytes */" + length);
            return Optional.of(HttpResponse.of(label(unsatisfiable, ageSeconds, result).build()));
        }
        ResponseHeadersBuilder reply = label(headers.toBuilder(), ageSeconds, result);
        if (complete) {
            reply.set(HttpHeaderNames.ACCEPT_RANGES, "bytes");
        }
        long offset = 0;
        long count = length;
        if (range instanceof RangeAnswer.Part part) {
            reply.status(HttpStatus.PARTIAL_CONTENT)
                    .set(HttpHeaderNames.CONTENT_RANGE, "bytes " + part.first() + '-' + part.last() + '/' + length);
            offset = part.first();
            count = part.length();
        }
        reply.contentLength(count);
        if (request.method() == HttpMethod.HEAD || count == 0) {
            return Optional.of(HttpResponse.of(reply.build()));
        }
        return stored.body().open(offset, count).map(bytes -> HttpResponse.of(reply.build(), bytes));
    }

    /** Sets the cache's own headers: the copy's {@code Age} and CloudFront's {@code x-cache}. */
    private static ResponseHeadersBuilder label(ResponseHeadersBuilder headers, long ageSeconds, CacheResult result) {
        return headers.setLong(HttpHeaderNames.AGE, ageSeconds).set(X_CACHE, result.header());
    }

    /** RFC 9110 §13.2.2: If-None-Match decides when present (weak comparison), If-Modified-Since otherwise. */
    private static boolean isNotModified(RequestHeaders request, HttpHeaders stored) {
        String ifNoneMatch = request.get(HttpHeaderNames.IF_NONE_MATCH);
        if (ifNoneMatch != null) {
            String etag = stored.get(HttpHeaderNames.ETAG);
            return ifNoneMatch.trim().equals("*") || etag != null && Arrays.stream(ifNoneMatch.split(","))
                    .anyMatch(tag -> opaque(tag.trim()).equals(opaque(etag)));
        }
        Long ifModifiedSince = request.getTimeMillis(HttpHeaderNames.IF_MODIFIED_SINCE);
        Long lastModified = stored.getTimeMillis(HttpHeaderNames.LAST_MODIFIED);
        return ifModifiedSince != null && lastModified != null && lastModified <= ifModifiedSince;
    }

    /** RFC 9110 §13.1.5: a range applies only if If-Range names the stored version (strong ETag or exact date). */
    private static boolean ifRangeHolds(RequestHeaders request, HttpHeaders stored) {
        String ifRange = request.get(HttpHeaderNames.IF_RANGE);
        if (ifRange == null) {
            return true;
        }
        String validator = ifRange.trim();
        if (validator.startsWith("\"") || validator.startsWith("W/")) {
            return !validator.startsWith("W/") && validator.equals(stored.get(HttpHeaderNames.ETAG));
        }
        Long date = request.getTimeMillis(HttpHeaderNames.IF_RANGE);
        return date != null && date.equals(stored.getTimeMillis(HttpHeaderNames.LAST_MODIFIED));
    }

    private static String opaque(String etag) {
        return etag.startsWith("W/") ? etag.substring(2) : etag;
    }
}
