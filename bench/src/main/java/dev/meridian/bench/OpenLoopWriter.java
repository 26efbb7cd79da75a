package dev.meridian.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Drives PutItem into one region at a fixed rate, open loop: every request has an intended start time on a fixed
 * schedule and its latency counts from then, so a server stall shows up in the latencies instead of silently
 * lowering the request rate (no coordinated omission).
 *
 * <p>Worker {@code w} of {@code W} runs on thread {@code writer-<region>-<w>} and owns requests {@code w, w+W,
 * w+2W, ...} of the schedule; the recorder and counters take concurrent writes from every worker.
 */
final class OpenLoopWriter {
    /**
     * Requests due when their worker is this far past the schedule's end are skipped, so a stalled region cannot
     * keep a run alive.
     */
    private static final Duration GIVE_UP_AFTER = Duration.ofSeconds(30);

    /** What the measured part of the schedule (requests intended at or after the warmup) achieved. */
    record Result(String region, long scheduled, long unsent, long ok, long errors, double achievedPerSecond,
            Histogram latencyMicros, String firstError) {}

    private final String region;
    private final DynamoDbClient client;
    private final BenchTable table;
    private final int workers;
    private final double ratePerSecond;
    private final Recorder latency = new Recorder(Percentiles.MAX_MICROS, 3);
    private final LongAdder completed = new LongAdder();
    private final LongAdder measuredScheduled = new LongAdder();
    private final LongAdder measuredUnsent = new LongAdder();
    private final LongAdder measuredOk = new LongAdder();
    private final LongAdder measuredErrors = new LongAdder();
    private final AtomicLong lastMeasuredDone = new AtomicLong(Long.MIN_VALUE);
    private final AtomicReference<String> firstError = new AtomicReference<>();
    private final List<Thread> threads = new ArrayList<>();
    private long measureFrom;
    private long end;

    OpenLoopWriter(String region, DynamoDbClient client, BenchTable table, int workers, double ratePerSecond) {
        this.region = region;
        this.client = client;
        this.table = table;
        this.workers = workers;
        this.ratePerSecond = ratePerSecond;
    }

    /** Starts the workers on a schedule from {@code start} to {@code end} (nanoTime), measured from {@code measureFrom}. */
    void start(long start, long measureFrom, long end) {
        this.measureFrom = measureFrom;
        this.end = end;
        for (int w = 0; w < workers; w++) {
            int worker = w;
            Thread thread = new Thread(() -> work(worker, start), "writer-" + region + "-" + w);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
    }

    /** Requests answered so far, warmup included, for progress lines. */
    long completed() {
        return completed.sum();
    }

    Result awaitResult() throws InterruptedException {
        for (Thread thread : threads) {
            thread.join();
        }
        long ok = measuredOk.sum();
        double seconds = (lastMeasuredDone.get() - measureFrom) / 1e9;
        double achieved = ok == 0 || seconds <= 0 ? 0 : ok / seconds;
        return new Result(region, measuredScheduled.sum(), measuredUnsent.sum(), ok, measuredErrors.sum(), achieved,
                latency.getIntervalHistogram(), firstError.get());
    }

    private void work(int worker, long start) {
        long giveUp = end + GIVE_UP_AFTER.toNanos();
        for (long k = 0; ; k++) {
            long slot = k * workers + worker;
            long intended = start + (long) (slot * 1e9 / ratePerSecond);
            if (intended >= end) {
                return;
            }
            boolean measured = intended >= measureFrom;
            if (measured) {
                measuredScheduled.increment();
            }
            long now;
            while ((now = System.nanoTime()) < intended) {
                LockSupport.parkNanos(intended - now);
            }
            if (now > giveUp) {
                if (measured) {
                    measuredUnsent.increment();
                }
                continue;
            }
            try {
                client.putItem(b -> b.tableName(BenchTable.NAME).item(table.item(region + "-" + slot)));
                long done = System.nanoTime();
                if (measured) {
                    latency.recordValue(Math.min((done - intended) / 1000, Percentiles.MAX_MICROS));
                    measuredOk.increment();
                    lastMeasuredDone.accumulateAndGet(done, Math::max);
                }
            } catch (SdkException e) {
                if (measured) {
                    measuredErrors.increment();
                }
                firstError.compareAndSet(null, e.toString());
            }
            completed.increment();
        }
    }
}
