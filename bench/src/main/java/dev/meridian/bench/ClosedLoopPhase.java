package dev.meridian.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Runs one operation back to back from a fixed number of threads (closed loop: each thread sends its next call
 * when the previous one answers) and measures throughput and per-call latency after a warmup.
 */
final class ClosedLoopPhase {
    /** A hard bound on calls per thread, whatever the duration. */
    private static final long MAX_CALLS_PER_THREAD = 20_000_000;

    /** One call; {@code thread} and {@code sequence} let the call pick its key. Throws to report an error. */
    @FunctionalInterface
    interface Call {
        void run(int thread, long sequence);
    }

    record Result(String name, long ok, long errors, double perSecond, Histogram latencyMicros, String firstError,
            CpuWindow.Usage cpu) {}

    private ClosedLoopPhase() {}

    /**
     * A Markdown table of the CPU per call each process spent in each measured phase, and what the client's own cost
     * implies: with every core spent on the client alone it could not send more than cores / (client CPU per call)
     * calls a second. {@code client} and {@code servers} are labels of the phases' {@link CpuWindow}s.
     */
    static String cpuPerCallMarkdown(List<Result> phases, String client, List<String> servers) {
        int cores = Runtime.getRuntime().availableProcessors();
        var out = new StringBuilder("| phase | " + client);
        servers.forEach(server -> out.append(" | ").append(server));
        out.append(String.format(Locale.ROOT, " | cores busy (of %d) | client-bound ceiling, calls/s |%n", cores));
        out.append("|---|---:");
        servers.forEach(server -> out.append("|---:"));
        out.append(String.format(Locale.ROOT, "|---:|---:|%n"));
        for (Result phase : phases) {
            CpuWindow.Usage cpu = phase.cpu();
            double clientMicros = microsPerCall(cpu, client, phase.ok());
            out.append(String.format(Locale.ROOT, "| %s | %.0f", phase.name(), clientMicros));
            servers.forEach(server ->
                    out.append(String.format(Locale.ROOT, " | %.0f", microsPerCall(cpu, server, phase.ok()))));
            out.append(String.format(Locale.ROOT, " | %.2f | %.0f |%n",
                    cpu.total().toNanos() / (double) cpu.wall().toNanos(),
                    clientMicros == 0 ? 0 : cores * 1e6 / clientMicros));
        }
        return out.toString();
    }

    private static double microsPerCall(CpuWindow.Usage cpu, String process, long calls) {
        Duration used = cpu.byProcess().getOrDefault(process, Duration.ZERO);
        return calls == 0 ? 0 : used.toNanos() / 1e3 / calls;
    }

    /**
     * Runs {@code call} from {@code threads} threads (named {@code <name>-<i>}) for warmup plus duration, with
     * {@code cpu} measuring the measured part.
     */
    static Result run(String name, int threads, Duration warmup, Duration duration, CpuWindow cpu, Call call)
            throws InterruptedException {
        var latency = new Recorder(Percentiles.MAX_MICROS, 3);
        var ok = new LongAdder();
        var errors = new LongAdder();
        var calls = new LongAdder();
        var firstError = new AtomicReference<String>();
        long measureFrom = System.nanoTime() + warmup.toNanos();
        long end = measureFrom + duration.toNanos();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            Thread worker = new Thread(() -> {
                for (long i = 0; i < MAX_CALLS_PER_THREAD; i++) {
                    long started = System.nanoTime();
                    if (started >= end) {
                        return;
                    }
                    boolean measured = started >= measureFrom;
                    try {
                        call.run(thread, i);
                        if (measured) {
                            latency.recordValue(Math.min((System.nanoTime() - started) / 1000, Percentiles.MAX_MICROS));
                            ok.increment();
                        }
                    } catch (RuntimeException e) {
                        if (measured) {
                            errors.increment();
                        }
                        firstError.compareAndSet(null, e.toString());
                    }
                    calls.increment();
                }
            }, name + "-" + t);
            worker.setDaemon(true);
            workers.add(worker);
            worker.start();
        }
        Progress progress = Progress.every(Progress.EVERY, () -> name + ": " + calls.sum() + " calls");
        try {
            TimeUnit.NANOSECONDS.sleep(measureFrom - System.nanoTime());
            cpu.start();
            for (Thread worker : workers) {
                worker.join();
            }
        } finally {
            progress.close();
        }
        CpuWindow.Usage used = cpu.stop();
        return new Result(name, ok.sum(), errors.sum(), ok.sum() / (duration.toNanos() / 1e9),
                latency.getIntervalHistogram(), firstError.get(), used);
    }
}
