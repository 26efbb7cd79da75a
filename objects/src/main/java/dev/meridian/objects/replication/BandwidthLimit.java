package dev.meridian.objects.replication;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.concurrent.TimeUnit;

/**
 * A token bucket shared by every copy into this region: bytes read through {@link #throttle} are paid for at the
 * configured rate, the reader sleeping until its bytes are covered. Zero means unlimited.
 */
final class BandwidthLimit {
    private final long bytesPerSecond;
    /** When the bytes handed out so far are paid for; guarded by this. */
    private long paidUntilNanos = System.nanoTime();

    BandwidthLimit(long bytesPerSecond) {
        this.bytesPerSecond = bytesPerSecond;
    }

    InputStream throttle(InputStream in) {
        return bytesPerSecond == 0 ? in : new Throttled(in);
    }

    private void pay(int bytes) throws InterruptedIOException {
        long waitNanos;
        synchronized (this) {
            long now = System.nanoTime();
            paidUntilNanos = Math.max(paidUntilNanos, now) + bytes * TimeUnit.SECONDS.toNanos(1) / bytesPerSecond;
            waitNanos = paidUntilNanos - now;
        }
        try {
            TimeUnit.NANOSECONDS.sleep(waitNanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while throttled");
        }
    }

    private final class Throttled extends FilterInputStream {
        Throttled(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                pay(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int read = in.read(buffer, offset, length);
            if (read > 0) {
                pay(read);
            }
            return read;
        }
    }
}
