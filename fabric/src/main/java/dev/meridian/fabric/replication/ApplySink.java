package dev.meridian.fabric.replication;

import dev.meridian.fabric.wire.Entry;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Where replicated entries go: the region's committer. */
public interface ApplySink {
    /** This region's newest change-log sequence; every write it has acknowledged is at or below it. */
    long head();

    /** This region's watermark for {@code origin}: every entry of its log up to it is applied here. */
    long watermark(String origin);

    /**
     * Applies {@code origin}'s entries (in log order; snapshot entries have seq 0) durably and, when
     * {@code snapshotEnd > 0}, moves the watermark to it; completes with the new watermark.
     */
    CompletableFuture<Long> apply(String origin, List<Entry> entries, long snapshotEnd);
}
