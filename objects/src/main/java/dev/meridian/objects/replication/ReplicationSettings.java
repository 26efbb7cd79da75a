package dev.meridian.objects.replication;

import java.time.Duration;

/**
 * Tuning of the cross-region copies of object bytes; a null field takes its default.
 *
 * @param workers copies in flight at once (default 32: a copy mostly waits on the WAN round trip, so this, not
 *     bandwidth, bounds how many objects per second a region can take in)
 * @param bandwidthBytesPerSecond the most bytes per second all copies into this region pull together; 0 (the
 *     default) is unlimited
 * @param maxAttempts failed attempts after which a copy is reported FAILED (default 10); it keeps being retried
 * @param backoffCap the longest wait between two attempts of one copy (default 30 s)
 * @param gcGrace how old bytes a version slot no longer references must be before they are deleted (default 60 s),
 *     so an upload still being committed or a reader still streaming is never cut short
 */
public record ReplicationSettings(Integer workers, Long bandwidthBytesPerSecond, Integer maxAttempts,
        Duration backoffCap, Duration gcGrace) {
    public static final ReplicationSettings DEFAULTS = new ReplicationSettings(null, null, null, null, null);

    public ReplicationSettings {
        workers = workers == null ? 32 : workers;
        bandwidthBytesPerSecond = bandwidthBytesPerSecond == null ? 0L : bandwidthBytesPerSecond;
        maxAttempts = maxAttempts == null ? 10 : maxAttempts;
        backoffCap = backoffCap == null ? Duration.ofSeconds(30) : backoffCap;
        gcGrace = gcGrace == null ? Duration.ofSeconds(60) : gcGrace;
        if (workers < 1 || bandwidthBytesPerSecond < 0 || maxAttempts < 1) {
            throw new IllegalArgumentException("replication settings: workers and maxAttempts must be at least 1, "
                    + "bandwidthBytesPerSecond at least 0");
        }
        if (backoffCap.isNegative() || backoffCap.isZero() || gcGrace.isNegative()) {
            throw new IllegalArgumentException("replication settings: backoffCap must be positive, gcGrace not negative");
        }
    }
}
