package dev.meridian.control;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * The SQL primary's permission to take writes: it lasts {@code duration} from the send time of this member's last
 * heartbeat that the group agreed on. Renewed on the Ratis apply thread; read from any thread.
 */
final class WriteLease {
    private final long durationNanos;
    private final LongSupplier nanoClock;
    /** When the lease runs out, in {@code nanoClock} time; starts out already expired. */
    private volatile long expiresAt;

    WriteLease(Duration duration, LongSupplier nanoClock) {
        this.durationNanos = duration.toNanos();
        this.nanoClock = nanoClock;
        this.expiresAt = nanoClock.getAsLong();
    }

    /** Extends the lease to {@code duration} after {@code sentNanos}, unless it already runs longer. */
    void renew(long sentNanos) {
        long candidate = sentNanos + durationNanos;
        if (candidate - expiresAt > 0) {
            expiresAt = candidate;
        }
    }

    boolean held() {
        return nanoClock.getAsLong() - expiresAt < 0;
    }
}
