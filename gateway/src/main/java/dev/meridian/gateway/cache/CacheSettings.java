package dev.meridian.gateway.cache;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How much the edge cache may hold and for how long it may serve a stale copy when the origin fails.
 *
 * @param memoryBytes    bound on the bodies kept in memory (the hot tier)
 * @param diskBytes      bound on the bodies kept as files under {@code directory}
 * @param directory      where body files live; the cache deletes its own files there when it starts
 * @param maxObjectBytes larger responses are streamed through and never stored
 * @param maxStale       how long past expiry a copy may stand in for a failing origin when the response
 *                       names no {@code stale-if-error}
 */
public record CacheSettings(long memoryBytes, long diskBytes, Path directory, long maxObjectBytes, Duration maxStale) {
    private static final long MIB = 1L << 20;

    public CacheSettings {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(maxStale, "maxStale");
        if (memoryBytes < 0 || diskBytes < 0 || maxObjectBytes < 0 || maxStale.isNegative()) {
            throw new IllegalArgumentException("cache sizes and maxStale must not be negative: memoryBytes="
                    + memoryBytes + ", diskBytes=" + diskBytes + ", maxObjectBytes=" + maxObjectBytes
                    + ", maxStale=" + maxStale);
        }
    }

    /** 256 MiB of memory, 4 GiB of disk, objects up to 1 GiB, stale copies for up to a day. */
    public static CacheSettings defaults(Path directory) {
        return new CacheSettings(256 * MIB, 4096 * MIB, directory, 1024 * MIB, Duration.ofDays(1));
    }

    /**
     * The largest body kept in memory (and buffered in memory while it arrives); larger bodies live on disk
     * only. A sixteenth of the memory tier keeps one object from flushing the tier; 8 MiB caps what one
     * request may buffer.
     */
    long memoryObjectBytes() {
        return Math.min(memoryBytes / 16, 8 * MIB);
    }
}
