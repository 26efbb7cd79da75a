package dev.meridian.bench;

import static dev.meridian.bench.Percentiles.maxMillis;
import static dev.meridian.bench.Percentiles.millis;
import static dev.meridian.bench.Percentiles.ms;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/** The replication benchmark's verdict and its Markdown report, from the writers' results and the regions' delays. */
final class ReplicationReport {
    /** The target: replication delay p99 at most the injected one-way delay plus this. */
    static final Duration ALLOWANCE = Duration.ofMillis(25);
    /** A region that achieved less than this share of the requested rate was not loaded as the target demands. */
    static final double MIN_RATE_SHARE = 0.95;

    /** What the run was asked to do. */
    record Settings(List<String> regions, Duration delay, int rate, int batch, Duration warmup, Duration duration,
            int maxInFlight, int itemBytes) {
        String calls() {
            return batch == 1 ? "PutItem" : "BatchWriteItem";
        }
    }

    private final Settings settings;
    private final List<OpenLoopWriter.Result> writes;
    /** Destination region, then origin region, to delays in microseconds. */
    private final Map<String, Map<String, Histogram>> delays;
    private final Map<String, String> memory;
    private final CpuWindow.Usage cpu;
    private final boolean drained;
    private final Histogram allDelays = Percentiles.newMicros();
    private final List<String> failures = new ArrayList<>();

    ReplicationReport(Settings settings, List<OpenLoopWriter.Result> writes,
            Map<String, Map<String, Histogram>> delays, Map<String, String> memory, CpuWindow.Usage cpu,
            boolean drained) {
        this.settings = settings;
        this.writes = writes;
        this.delays = delays;
        this.memory = memory;
        this.cpu = cpu;
        this.drained = drained;
        delays.values().forEach(byOrigin -> byOrigin.values().forEach(allDelays::add));
        judge();
    }

    boolean passed() {
        return failures.isEmpty();
    }

    String markdown(String command, MachineInfo machine) {
        var out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "### Replication: %d regions, %d ms one-way delay, %d writes/s into each%n%n",
                settings.regions().size(), settings.delay().toMillis(), settings.rate()));
        out.append(machine.markdown(command));
        out.append(String.format(Locale.ROOT, "- Load: open-loop %s, %s%d-byte items, asynchronous HTTP/1.1"
                        + " signed by the AWS SDK's SigV4 signer, at most %d calls in flight per region,"
                        + " %d s warmup discarded, %d s measured%n%n",
                settings.calls(), settings.batch() == 1 ? "" : settings.batch() + " items per call, ",
                settings.itemBytes(), settings.maxInFlight(), settings.warmup().toSeconds(), settings.duration().toSeconds()));
        out.append("| region | target writes/s | achieved writes/s | errors"
                + " | " + settings.calls() + " p50 / p99 / p99.9 (ms, from intended start) | memory (PSS) |\n");
        out.append("|---|---:|---:|---:|---:|---:|\n");
        var allLatency = Percentiles.newMicros();
        for (OpenLoopWriter.Result w : writes) {
            allLatency.add(w.latencyMicros());
            out.append(String.format(Locale.ROOT, "| %s | %d | %.1f | %d | %s | %s |%n", w.region(), settings.rate(),
                    w.achievedPerSecond(), w.errors(), Percentiles.p50p99p999(w.latencyMicros()),
                    memory.getOrDefault(w.region(), "n/a")));
        }
        out.append(String.format(Locale.ROOT, "| all | %d | %.1f | %d | %s | |%n%n", settings.rate() * writes.size(),
                writes.stream().mapToDouble(OpenLoopWriter.Result::achievedPerSecond).sum(),
                writes.stream().mapToLong(OpenLoopWriter.Result::errors).sum(), Percentiles.p50p99p999(allLatency)));
        out.append("Replication delay, origin commit to destination apply (ms):\n\n");
        out.append("| origin -> destination | entries | p50 | p90 | p99 | p99.9 | max |\n");
        out.append("|---|---:|---:|---:|---:|---:|---:|\n");
        out.append(delayRow("all pairs", allDelays));
        delays.forEach((destination, byOrigin) -> byOrigin.forEach((origin, histogram) ->
                out.append(delayRow(origin + " -> " + destination, histogram))));
        out.append(String.format(Locale.ROOT,
                "%nTarget: replication delay p99 <= %d ms + %d ms = %d ms; measured p99 %s ms: **%s**%n",
                settings.delay().toMillis(), ALLOWANCE.toMillis(), targetMillis(), ms(millis(allDelays, 99)),
                passed() ? "PASS" : "FAIL"));
        failures.forEach(reason -> out.append("- ").append(reason).append('\n'));
        long written = writes.stream().mapToLong(OpenLoopWriter.Result::ok).sum();
        out.append("\nCPU used while the measured load ran:\n\n").append(cpu.markdown(written, "item written"));
        return out.toString();
    }

    private void judge() {
        if (!drained) {
            failures.add("replication did not drain after the load stopped");
        }
        if (allDelays.getTotalCount() == 0) {
            failures.add("no replicated entry was measured");
        } else if (millis(allDelays, 99) > targetMillis()) {
            failures.add("replication delay p99 above the target");
        }
        for (OpenLoopWriter.Result w : writes) {
            if (w.unsent() > 0) {
                failures.add(w.region() + ": " + w.unsent() + " of " + w.scheduled()
                        + " scheduled item writes never sent (the load fell more than 30 s behind)");
            }
            if (w.errors() > 0) {
                failures.add(w.region() + ": " + w.errors() + " item writes failed, first error: " + w.firstError());
            }
            if (w.achievedPerSecond() < settings.rate() * MIN_RATE_SHARE) {
                failures.add(String.format(Locale.ROOT, "%s: achieved %.1f writes/s, below %.0f%% of the %d asked",
                        w.region(), w.achievedPerSecond(), MIN_RATE_SHARE * 100, settings.rate()));
            }
        }
    }

    private long targetMillis() {
        return settings.delay().plus(ALLOWANCE).toMillis();
    }

    private static String delayRow(String pair, Histogram micros) {
        return String.format(Locale.ROOT, "| %s | %d | %s | %s | %s | %s | %s |%n", pair, micros.getTotalCount(),
                ms(millis(micros, 50)), ms(millis(micros, 90)), ms(millis(micros, 99)), ms(millis(micros, 99.9)),
                ms(maxMillis(micros)));
    }
}
