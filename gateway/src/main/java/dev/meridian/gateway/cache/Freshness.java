package dev.meridian.gateway.cache;

import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.ResponseHeaders;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.Set;

/**
 * How old a stored response is and how long it stays fresh, as RFC 9111 §4.2 computes them for a shared cache.
 *
 * @param responseMillis     when the response arrived (the cache's clock)
 * @param initialAgeMillis   its corrected initial age (§4.2.3): the larger of the apparent age and Age plus
 *                           the round trip
 * @param lifetimeMillis     its freshness lifetime: s-maxage, else max-age, else Expires - Date, else the
 *                           Last-Modified heuristic, else zero (stored only to be revalidated)
 * @param staleIfErrorMillis how long past expiry it may stand in for an origin that fails
 * @param keepStaleMillis    how long past expiry it is kept at all, for revalidation and errors
 */
record Freshness(long responseMillis, long initialAgeMillis, long lifetimeMillis, long staleIfErrorMillis,
        long keepStaleMillis) {
    /** Statuses a cache may give a heuristic lifetime (RFC 9110 §15.1). */
    private static final Set<Integer> HEURISTICALLY_CACHEABLE = Set.of(200, 203, 204, 206, 300, 301, 308, 404, 405, 410, 414, 501);
    private static final long HEURISTIC_CAP_MILLIS = Duration.ofDays(1).toMillis();

    static Freshness of(ResponseHeaders headers, long requestMillis, long responseMillis, Duration maxStale) {
        CacheControl cacheControl = CacheControl.of(headers);
        long dateMillis = dateMillis(headers, responseMillis);
        long apparentAge = Math.max(0, responseMillis - dateMillis);
        long ageValue = Math.max(0, headers.getLong(HttpHeaderNames.AGE, 0L)) * 1000;
        long initialAge = Math.max(apparentAge, ageValue + (responseMillis - requestMillis));

        long staleIfError;
        OptionalLong explicitStaleIfError = cacheControl.seconds("stale-if-error");
        if (explicitStaleIfError.isPresent()) {
            // RFC 5861 §4: stale-if-error applies regardless of other freshness information.
            staleIfError = explicitStaleIfError.getAsLong() * 1000;
        } else if (cacheControl.has("must-revalidate") || cacheControl.has("proxy-revalidate")
                || cacheControl.has("no-cache")) {
            staleIfError = 0;
        } else {
            staleIfError = maxStale.toMillis();
        }
        return new Freshness(responseMillis, initialAge, lifetimeMillis(headers, cacheControl, dateMillis),
                staleIfError, Math.max(staleIfError, maxStale.toMillis()));
    }

    /** Whether the response says how long it is fresh rather than leaving it to a heuristic. */
    static boolean isExplicit(ResponseHeaders headers) {
        CacheControl cacheControl = CacheControl.of(headers);
        return cacheControl.has("s-maxage") || cacheControl.has("max-age") || headers.contains(HttpHeaderNames.EXPIRES);
    }

    long ageMillis(long nowMillis) {
        return initialAgeMillis + Math.max(0, nowMillis - responseMillis);
    }

    boolean isFresh(long nowMillis) {
        return ageMillis(nowMillis) < lifetimeMillis;
    }

    /** Whether the copy may answer a request with these directives without asking the origin (RFC 9111 §5.2.1). */
    boolean satisfies(CacheControl request, long nowMillis) {
        long age = ageMillis(nowMillis);
        return isFresh(nowMillis) && !request.has("no-cache")
                && request.seconds("max-age").stream().allMatch(maxAge -> age <= maxAge * 1000)
                && request.seconds("min-fresh").stream().allMatch(minFresh -> age + minFresh * 1000 < lifetimeMillis);
    }

    boolean usableOnError(long nowMillis) {
        return ageMillis(nowMillis) - lifetimeMillis <= staleIfErrorMillis;
    }

    /** How much longer the copy is worth keeping; the tiers expire it after that. */
    long keepMillis(long nowMillis) {
        return Math.max(0, lifetimeMillis - ageMillis(nowMillis) + keepStaleMillis);
    }

    private static long lifetimeMillis(ResponseHeaders headers, CacheControl cacheControl, long dateMillis) {
        if (cacheControl.has("no-cache")) {
            return 0;
        }
        OptionalLong seconds = cacheControl.seconds("s-maxage");
        if (seconds.isEmpty()) {
            seconds = cacheControl.seconds("max-age");
        }
        if (seconds.isPresent()) {
            return seconds.getAsLong() * 1000;
        }
        if (headers.contains(HttpHeaderNames.EXPIRES)) {
            // An Expires that does not parse (often "0") means already expired (RFC 9111 §5.3).
            Long expires = headers.getTimeMillis(HttpHeaderNames.EXPIRES);
            return expires == null ? 0 : Math.max(0, expires - dateMillis);
        }
        Long lastModified = headers.getTimeMillis(HttpHeaderNames.LAST_MODIFIED);
        if (lastModified != null && HEURISTICALLY_CACHEABLE.contains(headers.status().code())) {
            // The usual heuristic (RFC 9111 §4.2.2): a tenth of the time since the last change.
            return Math.min(HEURISTIC_CAP_MILLIS, Math.max(0, dateMillis - lastModified) / 10);
        }
        return 0;
    }

    private static long dateMillis(ResponseHeaders headers, long responseMillis) {
        Long date = headers.getTimeMillis(HttpHeaderNames.DATE);
        return date == null ? responseMillis : date;
    }
}
