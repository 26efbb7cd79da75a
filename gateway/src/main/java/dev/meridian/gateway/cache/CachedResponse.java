package dev.meridian.gateway.cache;

import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.ResponseHeadersBuilder;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** A stored response: what it is filed under, its headers as the origin sent them, its body and its age. */
record CachedResponse(CacheKey key, ResponseHeaders headers, Body body, Freshness freshness) {
    /** Headers about the connection or the cache itself, never stored (RFC 9111 §3.1). */
    private static final Set<String> NOT_STORED = Set.of("connection", "keep-alive", "proxy-connection",
            "proxy-authenticate", "te", "trailer", "transfer-encoding", "upgrade", "x-cache");
    /** Headers a 304 must not change: they describe the stored body (RFC 9111 §3.2). */
    private static final Set<String> DESCRIBE_BODY = Set.of("content-length", "content-encoding", "content-range",
            "content-type");

    /** The origin's headers without the ones that only concern one connection. */
    static ResponseHeaders storableHeaders(ResponseHeaders origin) {
        ResponseHeadersBuilder builder = origin.toBuilder();
        NOT_STORED.forEach(builder::remove);
        return builder.build();
    }

    /** The header names, lower case and sorted, whose request values select this variant. */
    static List<String> varyNames(ResponseHeaders headers) {
        return headers.getAll(HttpHeaderNames.VARY).stream()
                .flatMap(value -> Arrays.stream(value.split(",")))
                .map(name -> name.trim().toLowerCase(Locale.ROOT))
                .filter(name -> !name.isEmpty())
                .distinct()
                .sorted()
                .toList();
    }

    /** This copy's headers updated from a 304 that revalidated it (RFC 9111 §4.3.4). */
    ResponseHeaders headersRefreshedBy(ResponseHeaders notModified) {
        ResponseHeaders update = storableHeaders(notModified);
        ResponseHeadersBuilder builder = headers.toBuilder();
        update.names().stream().filter(CachedResponse::isUpdatable).forEach(builder::remove);
        update.forEach((name, value) -> {
            if (isUpdatable(name)) {
                builder.add(name, value);
            }
        });
        return builder.build();
    }

    CachedResponse withBody(Body other) {
        return new CachedResponse(key, headers, other, freshness);
    }

    private static boolean isUpdatable(CharSequence name) {
        return name.charAt(0) != ':' && !DESCRIBE_BODY.contains(name.toString());
    }
}
