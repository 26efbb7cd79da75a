package dev.meridian.fabric;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Exact replication-delay distributions (commit in the origin region to durable apply here, in microseconds),
 * one HdrHistogram recorder per origin. Benchmarks read and reset them between runs.
 */
public final class ReplicationDelays {
    private static final long MAX_MICROS = 3_600_000_000L;
    private final Map<String, Recorder> byOrigin = new ConcurrentHashMap<>();

    public void record(String origin, long delayMicros) {
        byOrigin.computeIfAbsent(origin, o -> new Recorder(MAX_MICROS, 3))
                .recordValue(Math.max(0, Math.min(delayMicros, MAX_MICROS)));
    }

    /** The delays recorded per origin since the last call. */
    public Map<String, Histogram> takeInterval() {
        var out = new TreeMap<String, Histogram>();
        byOrigin.forEach((origin, recorder) -> out.put(origin, recorder.getIntervalHistogram()));
        return out;
    }
}
