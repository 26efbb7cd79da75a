package dev.meridian.bench;

import java.util.Locale;
import org.HdrHistogram.Histogram;

/** Formats a microsecond histogram's percentiles as milliseconds for the reports. */
final class Percentiles {
    /** One hour: no latency or delay a benchmark records comes near it. */
    static final long MAX_MICROS = 3_600_000_000L;

    private Percentiles() {}

    static double millis(Histogram micros, double percentile) {
        return micros.getTotalCount() == 0 ? Double.NaN : micros.getValueAtPercentile(percentile) / 1000.0;
    }

    static double maxMillis(Histogram micros) {
        return micros.getTotalCount() == 0 ? Double.NaN : micros.getMaxValue() / 1000.0;
    }

    static String ms(double millis) {
        return Double.isNaN(millis) ? "n/a" : String.format(Locale.ROOT, "%.2f", millis);
    }

    /** {@code p50 / p99 / p99.9} in milliseconds, e.g. {@code 1.20 / 3.40 / 9.80}. */
    static String p50p99p999(Histogram micros) {
        return ms(millis(micros, 50)) + " / " + ms(millis(micros, 99)) + " / " + ms(millis(micros, 99.9));
    }

    /** An empty, auto-resizing histogram to merge others into. */
    static Histogram newMicros() {
        return new Histogram(3);
    }
}
