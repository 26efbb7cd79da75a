package dev.meridian.testkit;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/** One direction of a {@link WanLink}: its one-way delay, jitter and bandwidth cap, shared by all its connections. */
final class LinkDirection {
    final LinkGate gate;
    private volatile long delayNanos;
    private volatile long jitterNanos;
    private volatile long bytesPerSecond;
    /** When the capped route is next free to send; guarded by {@code this}. */
    private long nextFreeNanos;

    LinkDirection(LinkGate gate, Duration delay, Duration jitter, long bytesPerSecond) {
        this.gate = gate;
        setDelay(delay);
        setJitter(jitter);
        setBandwidth(bytesPerSecond);
    }

    Duration delay() {
        return Duration.ofNanos(delayNanos);
    }

    Duration jitter() {
        return Duration.ofNanos(jitterNanos);
    }

    long bandwidth() {
        return bytesPerSecond;
    }

    void setDelay(Duration delay) {
        delayNanos = nonNegative("delay", delay).toNanos();
    }

    void setJitter(Duration jitter) {
        jitterNanos = nonNegative("jitter", jitter).toNanos();
    }

    void setBandwidth(long bytesPerSecond) {
        if (bytesPerSecond < 0) {
            throw new IllegalArgumentException("bandwidth must be >= 0 bytes/s (0 means unlimited), got " + bytesPerSecond);
        }
        this.bytesPerSecond = bytesPerSecond;
    }

    /**
     * When bytes read at {@code now} may be delivered: after the delay plus jitter, but never before bytes read
     * earlier on the same connection, because TCP never reorders a stream.
     */
    long releaseTime(long now, long previousRelease) {
        long jitter = jitterNanos;
        long offset = jitter == 0 ? 0 : ThreadLocalRandom.current().nextLong(-jitter, jitter + 1);
        return Math.max(Math.max(now, now + delayNanos + offset), previousRelease);
    }

    /** Waits until the capped route has had time to carry {@code bytes}. */
    void awaitBandwidth(int bytes) throws InterruptedException {
        long rate = bytesPerSecond;
        if (rate == 0) {
            return;
        }
        long wait;
        synchronized (this) {
            long now = System.nanoTime();
            nextFreeNanos = Math.max(now, nextFreeNanos) + bytes * 1_000_000_000L / rate;
            wait = nextFreeNanos - now;
        }
        TimeUnit.NANOSECONDS.sleep(wait);
    }

    private static Duration nonNegative(String what, Duration value) {
        if (value.isNegative()) {
            throw new IllegalArgumentException(what + " must not be negative, got " + value);
        }
        return value;
    }
}
