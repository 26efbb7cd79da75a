package dev.meridian.bench;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * CPU time (user + system, as the OS accounts it) that each of a few processes (this JVM and servers it started)
 * spends between {@link #start} and {@link #stop}. On a shared two-core machine this says where the cores went:
 * whether a server or the client that drives it was the bottleneck.
 */
final class CpuWindow {
    private final Map<String, ProcessHandle> processes;
    private final String[] order;
    private final Map<String, Duration> atStart = new LinkedHashMap<>();
    private long startedNanos;

    /** {@code processes}: a label per process, in report order. */
    CpuWindow(Map<String, ProcessHandle> processes) {
        this.processes = Map.copyOf(processes);
        this.order = processes.keySet().toArray(String[]::new);
    }

    void start() {
        startedNanos = System.nanoTime();
        for (String label : order) {
            atStart.put(label, cpu(processes.get(label)));
        }
    }

    /** CPU each process used since {@link #start}, and the wall time it covers. */
    Usage stop() {
        var used = new LinkedHashMap<String, Duration>();
        for (String label : order) {
            used.put(label, cpu(processes.get(label)).minus(atStart.getOrDefault(label, Duration.ZERO)));
        }
        return new Usage(used, Duration.ofNanos(System.nanoTime() - startedNanos));
    }

    /** What a window measured. */
    record Usage(Map<String, Duration> byProcess, Duration wall) {
        Duration total() {
            return byProcess.values().stream().reduce(Duration.ZERO, Duration::plus);
        }

        /**
         * A Markdown table: each process's CPU seconds, its average cores, and its CPU per unit of work
         * ({@code units} of {@code unitName}, e.g. 30,000 items written).
         */
        String markdown(long units, String unitName) {
            var out = new StringBuilder(String.format(Locale.ROOT,
                    "| process | CPU s | cores (average over %.0f s) | CPU µs per %s |%n|---|---:|---:|---:|%n",
                    wall.toNanos() / 1e9, unitName));
            byProcess.forEach((label, cpu) -> out.append(row(label, cpu, units)));
            out.append(row("all", total(), units));
            return out.toString();
        }

        private String row(String label, Duration cpu, long units) {
            double seconds = cpu.toNanos() / 1e9;
            return String.format(Locale.ROOT, "| %s | %.1f | %.2f | %s |%n", label, seconds, seconds / (wall.toNanos() / 1e9),
                    units == 0 ? "n/a" : String.format(Locale.ROOT, "%.0f", seconds * 1e6 / units));
        }
    }

    private static Duration cpu(ProcessHandle process) {
        return process.info().totalCpuDuration().orElse(Duration.ZERO);
    }
}
