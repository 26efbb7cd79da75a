package dev.meridian.bench;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.HdrHistogram.Histogram;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * Open-loop PutObject into every region at once, then the time each object took to replicate: from its commit in
 * the origin region until its bytes were durable in each other region, as the regions report it on
 * {@code GET /_meridian/objects/replication-delay}.
 *
 * <p>Each region's writes are sent by {@link OpenLoopWriter}'s thread and carried out by that region's
 * {@code put-<region>-<n>} threads, with the SDK's synchronous client, one call per thread. Its CPU cost is about 1 ms
 * per 4 KiB PutObject and 6 ms per 1 MiB one (over plain HTTP the SDK always hashes the body to sign it); at tens of
 * objects a second per region that is a fraction of a core, which the report's CPU table shows. Object sizes take
 * turns: slot i of the schedule writes {@code sizes[i % n]}.
 */
final class ObjectReplication {
    /** How long replication may take to catch up once the load stops. */
    static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(120);
    /** Replication counts as drained when every object arrived everywhere and nothing more arrived for this long. */
    private static final Duration QUIET = Duration.ofSeconds(1);
    private static final Duration POLL = Duration.ofMillis(250);
    /**
     * How long before the measured part the regions' delays are reset: the three calls take well over 500 ms on a
     * saturated machine, and an object of the measured part replicated before the reset ends is lost to the counts.
     */
    static final Duration RESET_AHEAD = Duration.ofSeconds(3);
    /** Objects of each origin read back from each destination after the drain and compared with what was written. */
    static final int SAMPLES_PER_PAIR = 12;

    /**
     * What a run measured. {@code delays}: destination, then origin, to delays in microseconds. {@code expected}:
     * per origin, the objects written in the measured part that each other region must have received.
     */
    record Result(List<OpenLoopWriter.Result> writes, Map<String, Long> expected,
            Map<String, Map<String, Histogram>> delays, boolean drained, CpuWindow.Usage cpu, int sampled,
            List<String> sampleProblems) {}

    /** One region: its S3 client (as many connections as calls may be in flight) and its admin API. */
    record Region(String name, S3Client s3, RegionAdmin admin) {}

    private final List<Region> regions;
    private final String bucket;
    private final List<Integer> sizes;
    private final Map<Integer, ObjectBodies> bodies = new TreeMap<>();
    private final int rate;
    private final int maxInFlight;
    /** Per origin, the slots whose PutObject succeeded; written by the put threads. */
    private final Map<String, ConcurrentLinkedQueue<Long>> stored = new LinkedHashMap<>();

    ObjectReplication(List<Region> regions, String bucket, List<Integer> sizes, int rate, int maxInFlight) {
        this.regions = List.copyOf(regions);
        this.bucket = bucket;
        this.sizes = List.copyOf(sizes);
        this.rate = rate;
        this.maxInFlight = maxInFlight;
        sizes.forEach(size -> bodies.put(size, new ObjectBodies(size)));
        regions.forEach(region -> stored.put(region.name(), new ConcurrentLinkedQueue<>()));
    }

    /**
     * Writes for {@code warmup} plus {@code duration}, discarding what replicated during the warmup, waits for
     * replication to drain, and reads a sample of objects back from every other region.
     */
    Result run(Duration warmup, Duration duration, CpuWindow cpu) throws IOException, InterruptedException {
        List<ExecutorService> executors = new ArrayList<>();
        try {
            Map<String, OpenLoopWriter> writers = new LinkedHashMap<>();
            for (Region region : regions) {
                ExecutorService puts = Executors.newCachedThreadPool(namedDaemons("put-" + region.name() + "-"));
                executors.add(puts);
                writers.put(region.name(), new OpenLoopWriter(region.name(),
                        slot -> CompletableFuture.runAsync(() -> put(region, slot), puts), maxInFlight, rate, 1));
            }
            List<OpenLoopWriter.Result> writes = drive(writers, warmup, duration, cpu);
            CpuWindow.Usage used = cpu.stop();
            Map<String, Long> expected = new LinkedHashMap<>();
            writes.forEach(w -> expected.put(w.region(), w.ok()));
            var delays = new LinkedHashMap<String, Map<String, Histogram>>();
            boolean drained = awaitDrained(expected, delays);
            var problems = new ArrayList<String>();
            int sampled = readBack(problems);
            return new Result(writes, expected, delays, drained, used, sampled, problems);
        } finally {
            executors.forEach(ExecutorService::shutdownNow);
        }
    }

    private List<OpenLoopWriter.Result> drive(Map<String, OpenLoopWriter> writers, Duration warmup, Duration duration,
            CpuWindow cpu) throws IOException, InterruptedException {
        for (Region region : regions) {
            // Fails fast where the endpoint is missing, and warms the admin client up so the reset below is quick.
            region.admin().takeObjectReplicationDelays();
        }
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
        long measureFrom = start + warmup.toNanos();
        long end = measureFrom + duration.toNanos();
        Progress.say("writing " + rate + " objects/s into each region ("
                + sizes.stream().map(ObjectSizeConverter::describe).collect(Collectors.joining(", "))
                + " in turn): " + warmup.toSeconds() + " s warmup, then " + duration.toSeconds() + " s measured");
        writers.values().forEach(writer -> writer.start(start, measureFrom, end));
        Progress progress = Progress.every(Progress.EVERY, () -> "objects written: " + writers.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue().completed())
                .collect(Collectors.joining(" ")));
        try {
            // What the warmup replicated is discarded, just before the measured part: an object written after the
            // reset must not be lost in it, or its destination would never report it.
            TimeUnit.NANOSECONDS.sleep(Math.max(start, measureFrom - RESET_AHEAD.toNanos()) - System.nanoTime());
            for (Region region : regions) {
                region.admin().takeObjectReplicationDelays();
            }
            if (System.nanoTime() > measureFrom) {
                Progress.say("the reset of the regions' replication delays ended after the measured load began: objects"
                        + " replicated before it would be missing from the counts");
            }
            TimeUnit.NANOSECONDS.sleep(measureFrom - System.nanoTime());
            cpu.start();
            return OpenLoopWriter.awaitAll(writers.values());
        } finally {
            progress.close();
        }
    }

    private void put(Region origin, long slot) {
        int size = sizes.get((int) (slot % sizes.size()));
        ObjectBodies body = bodies.get(size);
        byte[] bytes = body.newBuffer();
        String key = key(origin.name(), slot);
        body.fill(key, bytes);
        origin.s3().putObject(b -> b.bucket(bucket).key(key), RequestBody.fromContentProvider(
                ContentStreamProvider.fromByteArrayUnsafe(bytes), bytes.length, "application/octet-stream"));
        stored.get(origin.name()).add(slot);
    }

    /**
     * Collects every destination's delays into {@code delays} until each has received, from each origin, as many
     * objects as that origin wrote in the measured part and then nothing for a second; false if that takes longer
     * than {@link #DRAIN_TIMEOUT}. Objects of the warmup still in flight when it ended are counted too, so a count
     * can exceed what was expected.
     */
    private boolean awaitDrained(Map<String, Long> expected, Map<String, Map<String, Histogram>> delays)
            throws IOException, InterruptedException {
        for (Region destination : regions) {
            var byOrigin = new TreeMap<String, Histogram>();
            for (Region origin : regions) {
                if (origin != destination) {
                    byOrigin.put(origin.name(), Percentiles.newMicros());
                }
            }
            delays.put(destination.name(), byOrigin);
        }
        long deadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
        long lastArrival = System.nanoTime();
        long nextSay = 0;
        while (true) {
            boolean arrived = false;
            for (Region destination : regions) {
                Map<String, Histogram> into = delays.get(destination.name());
                for (var entry : destination.admin().takeObjectReplicationDelays().entrySet()) {
                    Histogram histogram = into.get(entry.getKey());
                    if (histogram != null && entry.getValue().getTotalCount() > 0) {
                        histogram.add(entry.getValue());
                        arrived = true;
                    }
                }
            }
            long now = System.nanoTime();
            if (arrived) {
                lastArrival = now;
            }
            long missing = missing(expected, delays);
            if (missing == 0 && now - lastArrival >= QUIET.toNanos()) {
                return true;
            }
            if (now > deadline) {
                Progress.say("object replication did not drain within " + DRAIN_TIMEOUT.toSeconds() + " s: " + missing
                        + " object copies missing");
                return false;
            }
            if (now > nextSay) {
                Progress.say("waiting for object replication to drain: " + missing + " object copies missing");
                nextSay = now + Progress.EVERY.toNanos();
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    /** Object copies not yet reported by a destination, summed over every origin and destination. */
    static long missing(Map<String, Long> expected, Map<String, Map<String, Histogram>> delays) {
        long missing = 0;
        for (Map<String, Histogram> byOrigin : delays.values()) {
            for (var entry : byOrigin.entrySet()) {
                missing += Math.max(0, expected.getOrDefault(entry.getKey(), 0L) - entry.getValue().getTotalCount());
            }
        }
        return missing;
    }

    /**
     * Reads up to {@link #SAMPLES_PER_PAIR} objects of each origin, spread over its schedule, back from every other
     * region and compares them with what was written; adds what differs to {@code problems}, returns how many it read.
     */
    private int readBack(List<String> problems) {
        int sampled = 0;
        for (Region origin : regions) {
            List<Long> slots = stored.get(origin.name()).stream().sorted().toList();
            for (Region destination : regions) {
                if (destination == origin || slots.isEmpty()) {
                    continue;
                }
                int count = Math.min(SAMPLES_PER_PAIR, slots.size());
                for (int i = 0; i < count; i++) {
                    long slot = slots.get((int) ((long) i * slots.size() / count));
                    sampled++;
                    readBack(origin.name(), slot, destination).ifPresent(problem ->
                            problems.add(origin.name() + " -> " + destination.name() + ": " + problem));
                }
            }
        }
        return sampled;
    }

    private Optional<String> readBack(String origin, long slot, Region destination) {
        ObjectBodies body = bodies.get(sizes.get((int) (slot % sizes.size())));
        String key = key(origin, slot);
        byte[] buffer = body.newBuffer();
        try (ResponseInputStream<GetObjectResponse> in =
                destination.s3().getObject(b -> b.bucket(bucket).key(key))) {
            return body.mismatch(key, buffer, S3Load.readAll(in, buffer)).map(problem -> "GetObject " + problem);
        } catch (IOException | SdkException e) {
            return Optional.of("GetObject " + key + " failed: " + e);
        }
    }

    private static String key(String origin, long slot) {
        return "repl-" + origin + "-" + slot;
    }

    private static ThreadFactory namedDaemons(String prefix) {
        var next = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + next.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
