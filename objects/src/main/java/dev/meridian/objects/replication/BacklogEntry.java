package dev.meridian.objects.replication;

/**
 * Replication of one bucket to one destination region, seen from the region the writes were made in.
 *
 * @param pendingOperations versions written here whose bytes the destination does not hold yet
 * @param pendingBytes their total size
 * @param latencyP50Millis median time from commit here to the bytes landing there (recent copies)
 * @param latencyP99Millis its 99th percentile
 */
public record BacklogEntry(String bucket, String destination, long pendingOperations, long pendingBytes,
        double latencyP50Millis, double latencyP99Millis) {}
