package dev.meridian.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SkewedClockTest {
    private static final Instant NOW = Instant.parse("2026-12-02T12:00:00Z");
    private static final long REREAD_NANOS = SkewedClock.REREAD_INTERVAL.toNanos();

    @TempDir
    Path dir;

    private final AtomicLong ticker = new AtomicLong();

    private SkewedClock clockReading(Path file) {
        return new SkewedClock(Clock.fixed(NOW, ZoneOffset.UTC), file, ticker::get);
    }

    @Test
    void runsAheadOrBehindByTheFilesMilliseconds() throws IOException {
        Path ahead = Files.writeString(dir.resolve("ahead"), "150\n");
        Path behind = Files.writeString(dir.resolve("behind"), "-200");

        assertThat(clockReading(ahead).millis()).isEqualTo(NOW.toEpochMilli() + 150);
        assertThat(clockReading(ahead).instant()).isEqualTo(NOW.plusMillis(150));
        assertThat(clockReading(behind).millis()).isEqualTo(NOW.toEpochMilli() - 200);
    }

    @Test
    void aMissingOrEmptyFileMeansNoSkew() throws IOException {
        Path empty = Files.writeString(dir.resolve("empty"), "");

        assertThat(clockReading(dir.resolve("missing")).instant()).isEqualTo(NOW);
        assertThat(clockReading(empty).instant()).isEqualTo(NOW);
    }

    @Test
    void picksUpAChangedFileOnceTheRereadIntervalHasPassed() throws IOException {
        Path file = dir.resolve("skew");
        SkewedClock clock = clockReading(file);

        Files.writeString(file, "80");
        ticker.addAndGet(REREAD_NANOS - 1);
        assertThat(clock.millis()).as("still the cached reading").isEqualTo(NOW.toEpochMilli());
        ticker.addAndGet(1);
        assertThat(clock.millis()).isEqualTo(NOW.toEpochMilli() + 80);

        Files.delete(file);
        ticker.addAndGet(REREAD_NANOS);
        assertThat(clock.millis()).as("deleted: back to no skew").isEqualTo(NOW.toEpochMilli());
    }

    @Test
    void aMalformedFileKeepsTheLastOffset() throws IOException {
        Path file = Files.writeString(dir.resolve("skew"), "120");
        SkewedClock clock = clockReading(file);

        Files.writeString(file, "12O ms");
        ticker.addAndGet(REREAD_NANOS);
        assertThat(clock.millis()).isEqualTo(NOW.toEpochMilli() + 120);

        Files.writeString(file, "-30");
        ticker.addAndGet(REREAD_NANOS);
        assertThat(clock.millis()).isEqualTo(NOW.toEpochMilli() - 30);
    }
}
