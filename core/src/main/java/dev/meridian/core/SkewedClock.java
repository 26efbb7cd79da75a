package dev.meridian.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A clock that runs ahead of its base clock (behind, if negative) by a number of milliseconds read from a file, so
 * the fault harness can skew a running region's time.
 *
 * <p>The file holds one integer; a missing or empty file means no skew. Readings on the hot path take a cached offset,
 * read again from the file at most every 100 ms. A file that cannot be read or parsed is reported once and the last
 * offset kept. Thread-safe.
 */
public final class SkewedClock extends Clock {
    /** The system property naming a region process's skew file; unset, the process uses the system clock. */
    public static final String FILE_PROPERTY = "meridian.clockSkewFile";
    static final Duration REREAD_INTERVAL = Duration.ofMillis(100);
    private static final Logger log = LoggerFactory.getLogger(SkewedClock.class);

    /** The offset in force and when (by the ticker) it was read. */
    private record Reading(long offsetMillis, long readAtNanos) {}

    private final Clock base;
    private final Path file;
    private final LongSupplier nanoTicker;
    private volatile Reading reading;
    /** Guarded by this: whether the file's current unreadable state has been reported already. */
    private boolean reportedUnreadable;

    SkewedClock(Clock base, Path file, LongSupplier nanoTicker) {
        this.base = base;
        this.file = file;
        this.nanoTicker = nanoTicker;
        this.reading = new Reading(read(0), nanoTicker.getAsLong());
    }

    /** The system clock (UTC), skewed by the offset {@code file} holds. */
    public static SkewedClock readingFrom(Path file) {
        return new SkewedClock(Clock.systemUTC(), file, System::nanoTime);
    }

    @Override
    public long millis() {
        return base.millis() + offsetMillis();
    }

    @Override
    public Instant instant() {
        return base.instant().plusMillis(offsetMillis());
    }

    @Override
    public ZoneId getZone() {
        return base.getZone();
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return new SkewedClock(base.withZone(zone), file, nanoTicker);
    }

    private long offsetMillis() {
        Reading current = reading;
        return isDue(current) ? refresh().offsetMillis() : current.offsetMillis();
    }

    private boolean isDue(Reading current) {
        return nanoTicker.getAsLong() - current.readAtNanos() >= REREAD_INTERVAL.toNanos();
    }

    private synchronized Reading refresh() {
        Reading current = reading;
        if (isDue(current)) { // else another thread has just read the file
            current = new Reading(read(current.offsetMillis()), nanoTicker.getAsLong());
            reading = current;
        }
        return current;
    }

    /** The offset the file holds now, or {@code previous} when it cannot be read or parsed. */
    private long read(long previous) {
        long offset;
        try {
            offset = parse(Files.readString(file));
        } catch (NoSuchFileException missing) {
            offset = 0;
        } catch (IOException | NumberFormatException e) {
            if (!reportedUnreadable) {
                log.warn("event=clock_skew_file_unreadable file={} error=\"{}\" offset_ms={}", file, e.getMessage(),
                        previous);
                reportedUnreadable = true;
            }
            return previous;
        }
        reportedUnreadable = false;
        if (offset != previous) {
            log.info("event=clock_skew_changed offset_ms={} previous_ms={}", offset, previous);
        }
        return offset;
    }

    private static long parse(String text) {
        String trimmed = text.strip();
        return trimmed.isEmpty() ? 0 : Long.parseLong(trimmed);
    }
}
