package dev.meridian.gateway.cache;

import java.util.Locale;

/** How the cache answered a request, as told to the client in {@code x-cache} and counted in the metrics. */
enum CacheResult {
    /** Served from a fresh copy. */
    HIT("Hit from meridian"),
    /** Served by the origin. */
    MISS("Miss from meridian"),
    /** Served from a copy the origin confirmed with a 304. */
    REFRESH_HIT("RefreshHit from meridian"),
    /** Served from an expired copy because the origin failed. */
    STALE("Error from meridian"),
    /** The origin failed and there was no copy to stand in. */
    ORIGIN_ERROR("Error from meridian"),
    /** The client asked the cache to keep out of it ({@code no-store}). */
    BYPASS("Miss from meridian");

    private final String header;

    CacheResult(String header) {
        this.header = header;
    }

    /** The {@code x-cache} value, in CloudFront's wording. */
    String header() {
        return header;
    }

    /** The {@code result} tag of the request counter. */
    String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
