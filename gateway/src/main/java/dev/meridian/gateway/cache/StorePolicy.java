package dev.meridian.gateway.cache;

import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.ResponseHeaders;
import java.util.Set;

/** Decides whether a response to a GET may be stored (RFC 9111 §3, narrowed the way CloudFront narrows it). */
final class StorePolicy {
    /** Statuses stored only when the origin says how long they are fresh. */
    private static final Set<Integer> STORED_WHEN_EXPLICIT = Set.of(203, 204, 300, 301, 404, 410);

    private final long maxObjectBytes;

    StorePolicy(long maxObjectBytes) {
        this.maxObjectBytes = maxObjectBytes;
    }

    boolean isStorable(RequestHeaders request, ResponseHeaders response) {
        CacheControl cacheControl = CacheControl.of(response);
        if (cacheControl.has("no-store") || cacheControl.has("private")
                || response.contains(HttpHeaderNames.SET_COOKIE)
                || response.getAll(HttpHeaderNames.VARY).stream().anyMatch(vary -> vary.contains("*"))
                || response.getLong(HttpHeaderNames.CONTENT_LENGTH, 0L) > maxObjectBytes) {
            return false;
        }
        // A response to a credentialed request is someone's own unless the origin vouches for sharing it (§3.5).
        if ((request.contains(HttpHeaderNames.AUTHORIZATION) || CacheKey.isPresigned(request))
                && !cacheControl.has("public") && !cacheControl.has("s-maxage") && !cacheControl.has("must-revalidate")) {
            return false;
        }
        int status = response.status().code();
        if (status == 200) {
            // Without a lifetime a validator still makes the copy worth keeping: it is revalidated on each use.
            return Freshness.isExplicit(response) || response.contains(HttpHeaderNames.ETAG)
                    || response.contains(HttpHeaderNames.LAST_MODIFIED);
        }
        return STORED_WHEN_EXPLICIT.contains(status) && Freshness.isExplicit(response);
    }
}
