package dev.meridian.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Drives writes into one region at a fixed rate (table items, one per PutItem call or several per BatchWriteItem
 * call; or objects, one per PutObject call), open loop: every request has an intended start time on a fixed
 * schedule and its latency counts from then, so a server stall shows up in the latencies instead of silently
 * lowering the request rate (no coordinated omission).
 *
 * <p>One thread ({@code writer-<region>}) sends each request at its intended time without waiting for earlier
 * answers; answers are recorded on the client's event loops. At most {@code maxInFlight} requests are outstanding:
 * past that the thread waits for an answer, and the requests it then sends late carry the wait in their latency.
 */
final class OpenLoopWriter {
    /**
     * Requests due when the writer is this far past the schedule's end are skipped, so a stalled region cannot
     * keep a run alive.
     */
    private static final Duration GIVE_UP_AFTER = Duration.ofSeconds(30);

    /** Sends the request of one slot of the schedule without waiting for it; the future completes with its answer. */
    @FunctionalInterface
    interface Request {
        CompletableFuture<?> send(long slot);
    }

    /**
     * What the measured part of the schedule (calls intended at or after the warmup) achieved; counts are of items
     * (or objects) written, latencies of calls.
     */
    record Result(String region, long scheduled, long unsent, long ok, long errors, double achievedPerSecond,
            Histogram latencyMicros, String firstError) {}

    private final String region;
    private final Request request;
    private final double callsPerSecond;
    private final int itemsPerCall;
    private final Semaphore inFlight;
    private final int maxInFlight;
    private final Recorder latency = new Recorder(Percentiles.MAX_MICROS, 3);
    private final LongAdder completed = new LongAdder();
    private final LongAdder measuredScheduled = new LongAdder();
    private final LongAdder measuredUnsent = new LongAdder();
    private final LongAdder measuredOk = new LongAdder();
    private final LongAdder measuredErrors = new LongAdder();
    private final AtomicLong lastMeasuredDone = new AtomicLong(Long.MIN_VALUE);
    private final AtomicReference<String> firstError = new AtomicReference<>();
    private Thread thread;
    private long measureFrom;

    /** {@code itemsPerSecond} items, {@code itemsPerCall} to each request {@code request} sends. */
    OpenLoopWriter(String region, Request request, int maxInFlight, double itemsPerSecond, int itemsPerCall) {
        this.region = region;
        this.request = request;
        this.maxInFlight = maxInFlight;
        this.inFlight = new Semaphore(maxInFlight);
        this.callsPerSecond = itemsPerSecond / itemsPerCall;
        this.itemsPerCall = itemsPerCall;
    }

    /**
     * Writes the benchmark table's items into {@code region}: one per PutItem call when {@code itemsPerCall} is 1,
     * else that many per BatchWriteItem call.
     */
    static Request items(String region, SignedWriteClient client, BenchTable table, int itemsPerCall) {
        if (itemsPerCall == 1) {
            return slot -> client.putItem(BenchTable.NAME, table.attributes(region + "-" + slot));
        }
        return slot -> {
            var items = new ArrayList<Map<String, String>>(itemsPerCall);
            for (int i = 0; i < itemsPerCall; i++) {
                items.add(table.attributes(region + "-" + slot + "-" + i));
            }
            return client.batchWriteItem(BenchTable.NAME, items);
        };
    }

    /** Starts the writer on a schedule from {@code start} to {@code end} (nanoTime), measured from {@code measureFrom}. */
    void start(long start, long measureFrom, long end) {
        this.measureFrom = measureFrom;
        thread = new Thread(() -> sendOnSchedule(start, end), "writer-" + region);
        thread.setDaemon(true);
        thread.start();
    }

    /** Each writer's result, in order, once each has finished. */
    static List<Result> awaitAll(Collection<OpenLoopWriter> writers) throws InterruptedException {
        List<Result> results = new ArrayList<>();
        for (OpenLoopWriter writer : writers) {
            results.add(writer.awaitResult());
        }
        return results;
    }

    /** Items written or failed so far, warmup included, for progress lines. */
    long completed() {
        return completed.sum();
    }

    Result awaitResult() throws InterruptedException {
        thread.join();
        inFlight.acquire(maxInFlight); // every answer is in
        long ok = measuredOk.sum();
        double seconds = (lastMeasuredDone.get() - measureFrom) / 1e9;
        double achieved = ok == 0 || seconds <= 0 ? 0 : ok / seconds;
        return new Result(region, measuredScheduled.sum(), measuredUnsent.sum(), ok, measuredErrors.sum(), achieved,
                latency.getIntervalHistogram(), firstError.get());
    }

    private void sendOnSchedule(long start, long end) {
        long giveUp = end + GIVE_UP_AFTER.toNanos();
        try {
            for (long slot = 0; ; slot++) {
                long intended = start + (long) (slot * 1e9 / callsPerSecond);
                if (intended >= end) {
                    return;
                }
                boolean measured = intended >= measureFrom;
                if (measured) {
                    measuredScheduled.add(itemsPerCall);
                }
                long now;
                while ((now = System.nanoTime()) < intended) {
                    LockSupport.parkNanos(intended - now);
                }
                if (now > giveUp || !inFlight.tryAcquire(Math.max(0, giveUp - now), TimeUnit.NANOSECONDS)) {
                    if (measured) {
                        measuredUnsent.add(itemsPerCall);
                    }
                    continue;
                }
                send(slot).whenComplete((ok, error) -> answered(intended, measured, error));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A request that fails before it is sent fails like one the server rejects, and gives its permit back. */
    private CompletableFuture<?> send(long slot) {
        try {
            return request.send(slot);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private void answered(long intended, boolean measured, Throwable error) {
        long done = System.nanoTime();
        inFlight.release();
        completed.add(itemsPerCall);
        if (error != null) {
            firstError.compareAndSet(null, error.toString());
        }
        if (!measured) {
            return;
        }
        if (error != null) {
            measuredErrors.add(itemsPerCall);
        } else {
            latency.recordValue(Math.min((done - intended) / 1000, Percentiles.MAX_MICROS));
            measuredOk.add(itemsPerCall);
            lastMeasuredDone.accumulateAndGet(done, Math::max);
        }
    }
}
