package dev.meridian.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/** The Markdown block {@code meridian bench sql} prints, with the targets checked. */
final class SqlReport {
    /** Replication lag target: the injected one-way delay plus this. */
    private static final double LAG_MARGIN_MILLIS = 50;
    private static final double ENDPOINT_OVERHEAD_MILLIS = 1.0;
    private static final double RTO_MEDIAN_SECONDS = 15;

    /** The write load's latency and count in the measured window, and each standby's lag per transaction. */
    record Lag(Histogram latency, long committed, long failed, Map<String, Histogram> byStandby) {}

    private final List<String> regions;
    private final Duration delay;
    private final int rate;
    private final int workers;
    private final Duration warmup;
    private final Duration duration;
    private final Lag lag;
    private final Map<String, PairedLatency.Result> overhead;
    private final List<FailoverDrill.Outcome> changes;
    private final List<String> failures = new ArrayList<>();

    SqlReport(List<String> regions, Duration delay, int rate, int workers, Duration warmup, Duration duration, Lag lag,
            Map<String, PairedLatency.Result> overhead, List<FailoverDrill.Outcome> changes) {
        this.regions = regions;
        this.delay = delay;
        this.rate = rate;
        this.workers = workers;
        this.warmup = warmup;
        this.duration = duration;
        this.lag = lag;
        this.overhead = overhead;
        this.changes = changes;
    }

    String markdown(String command, MachineInfo machine) {
        var out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "### SQL: %d regions, %d ms one-way delay, %d write transactions/s%n%n",
                regions.size(), delay.toMillis(), rate));
        out.append(machine.markdown(command));
        out.append(String.format(Locale.ROOT, "- Load: pgbench's TPC-B-like transaction (UPDATE an account, INSERT a"
                        + " history row, COMMIT) on %s's endpoint from %d connections, open loop; %d s warmup, %d s"
                        + " measured%n%n", regions.get(0), workers, warmup.toSeconds(), duration.toSeconds()));
        double achieved = lag.committed() / (double) duration.toSeconds();
        out.append(String.format(Locale.ROOT, "Write transactions: %.0f/s committed in the window (%d failed or more"
                + " than 10 s late); latency from scheduled start p50 / p99 / p99.9: %s ms%n%n", achieved, lag.failed(),
                Percentiles.p50p99p999(lag.latency())));
        if (achieved < rate * 0.95) {
            failures.add(String.format(Locale.ROOT, "the load reached %.0f tx/s, not %d", achieved, rate));
        }
        double lagTarget = delay.toMillis() + LAG_MARGIN_MILLIS;
        out.append("| standby | transactions | lag p50 (ms) | p99 | p99.9 | max | target p99 |\n");
        out.append("|---|---|---|---|---|---|---|\n");
        lag.byStandby().forEach((region, histogram) -> {
            double p99 = Percentiles.millis(histogram, 99);
            boolean met = p99 <= lagTarget;
            if (!met) {
                failures.add(region + " lag p99 " + Percentiles.ms(p99) + " ms > " + lagTarget + " ms");
            }
            out.append(String.format(Locale.ROOT, "| %s | %d | %s | %s | %s | %s | <= %.0f %s |%n", region,
                    histogram.getTotalCount(), Percentiles.ms(Percentiles.millis(histogram, 50)), Percentiles.ms(p99),
                    Percentiles.ms(Percentiles.millis(histogram, 99.9)), Percentiles.ms(Percentiles.maxMillis(histogram)),
                    lagTarget, met ? "met" : "**not met**"));
        });
        out.append("\nLag: from the primary acknowledging a COMMIT to the standby having replayed it (polled every"
                + " millisecond).\n\n");
        out.append("| direct against endpoint | direct p50 / p99 / p99.9 (ms) | endpoint p50 / p99 / p99.9 (ms) |"
                + " added at p50 (ms) |\n");
        out.append("|---|---|---|---|\n");
        overhead.forEach((name, result) -> {
            out.append(String.format(Locale.ROOT, "| %s | %s | %s | %s |%n", name,
                    Percentiles.p50p99p999(result.direct()), Percentiles.p50p99p999(result.endpoint()),
                    Percentiles.ms(result.addedAtMedianMillis())));
            if (name.startsWith("point read") && result.addedAtMedianMillis() > ENDPOINT_OVERHEAD_MILLIS) {
                failures.add(name + ": the endpoint adds " + Percentiles.ms(result.addedAtMedianMillis())
                        + " ms at p50 (target <= 1 ms)");
            }
        });
        out.append("\nA forwarded write's direct counterpart is the same INSERT on a connection from that region"
                + " straight to the primary's server over the same WAN link.\n\n");
        if (!changes.isEmpty()) {
            appendChanges(out);
        }
        out.append(failures.isEmpty() ? "All targets met.\n" : "Targets not met: " + String.join("; ", failures) + "\n");
        return out.toString();
    }

    private void appendChanges(StringBuilder out) {
        out.append("| change of primary | RTO (s) | RPO: WAL bytes | RPO: committed transactions |\n");
        out.append("|---|---|---|---|\n");
        List<Double> rtos = new ArrayList<>();
        for (FailoverDrill.Outcome change : changes) {
            out.append(String.format(Locale.ROOT, "| %s %s -> %s | %.1f | %d | %d |%n",
                    change.planned() ? "switchover" : "kill -9", change.from(), change.to(), change.rtoSeconds(),
                    change.rpoBytes(), change.rpoTransactions()));
            if (change.planned() && change.rpoTransactions() != 0) {
                failures.add("the switchover lost " + change.rpoTransactions() + " transactions");
            } else if (!change.planned()) {
                rtos.add(change.rtoSeconds());
            }
        }
        rtos.sort(Double::compare);
        if (!rtos.isEmpty()) {
            double median = rtos.size() % 2 == 1 ? rtos.get(rtos.size() / 2)
                    : (rtos.get(rtos.size() / 2 - 1) + rtos.get(rtos.size() / 2)) / 2;
            out.append(String.format(Locale.ROOT, "%nFailover RTO median %.1f s over %d kills (target <= %.0f s);"
                    + " RTO counts from the kill to the first commit through a surviving region's endpoint, with"
                    + " the default 10 s failover timeout. RPO is measured by the old primary when it rejoins: WAL it"
                    + " had past the fork point, and transactions it committed that the new primary never saw.%n%n",
                    median, rtos.size(), RTO_MEDIAN_SECONDS));
            if (median > RTO_MEDIAN_SECONDS) {
                failures.add(String.format(Locale.ROOT, "failover RTO median %.1f s > %.0f s", median,
                        RTO_MEDIAN_SECONDS));
            }
        }
    }

    boolean passed() {
        return failures.isEmpty();
    }
}
