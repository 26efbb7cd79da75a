package dev.meridian.bench;

import static dev.meridian.bench.Percentiles.maxMillis;
import static dev.meridian.bench.Percentiles.millis;
import static dev.meridian.bench.Percentiles.ms;

import dev.meridian.testkit.DelayMatrix;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.HdrHistogram.Histogram;

/**
 * The S3 benchmark's Markdown report and verdict: PutObject and GetObject throughput of one Meridian region next to
 * s3proxy's, and how long objects took to replicate between regions against the injected WAN delays.
 *
 * <p>Throughput has no target (the ratios are reported, not judged); the run fails on any failed or wrong answer,
 * and when some pair of regions did not replicate 99% of the objects within its one-way delay plus {@link #ALLOWANCE}.
 */
final class S3Report {
    static final Duration ALLOWANCE = Duration.ofSeconds(1);
    static final double WITHIN_SHARE = 0.99;
    /** A region that achieved less than this share of the requested rate was not loaded as asked. */
    static final double MIN_RATE_SHARE = ReplicationReport.MIN_RATE_SHARE;
    static final String CLIENT = "load generator (SDK client)";
    static final String MERIDIAN = "Meridian";
    static final String PEER = "s3proxy";
    private static final double MIB = 1024.0 * 1024.0;

    /** What the run was asked to do. */
    record Settings(int threads, Duration serverWarmup, int rounds, Duration warmup, Duration duration,
            List<Integer> sizes, String meridianRegion, String peerHeap, List<String> regions, int rate,
            List<Integer> replicationSizes, Duration replicationWarmup, Duration replicationDuration,
            int maxInFlight) {}

    /** One server's phases for one object size, a PutObject and a GetObject phase per round. */
    record Target(List<ClosedLoopPhase.Result> puts, List<ClosedLoopPhase.Result> gets) {}

    /** Both servers' phases for one object size. */
    record SizeRun(int objectBytes, Target meridian, Target peer) {}

    private final Settings settings;
    private final List<SizeRun> runs;
    private final String meridianMemory;
    private final String peerMemory;
    private final ObjectReplication.Result replication;
    private final Map<String, String> regionMemory;
    private final DelayMatrix delays;
    private final List<String> failures = new ArrayList<>();

    S3Report(Settings settings, List<SizeRun> runs, String meridianMemory, String peerMemory,
            ObjectReplication.Result replication, Map<String, String> regionMemory, DelayMatrix delays) {
        this.settings = settings;
        this.runs = List.copyOf(runs);
        this.meridianMemory = meridianMemory;
        this.peerMemory = peerMemory;
        this.replication = replication;
        this.regionMemory = regionMemory;
        this.delays = delays;
        judge();
    }

    boolean passed() {
        return failures.isEmpty();
    }

    String markdown(String command, MachineInfo machine) {
        var out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "### S3: PutObject and GetObject, one Meridian region vs s3proxy;"
                + " time to replicate objects between %d regions%n%n", settings.regions().size()));
        out.append(machine.markdown(command));
        out.append(String.format(Locale.ROOT, "- Throughput: closed loop, %d SDK threads (AWS SDK v2 S3Client, Apache"
                        + " HttpClient 5, path-style, checksums only where required, no retries), per phase %d s warmup"
                        + " discarded then %d s measured; PutObject of distinct keys, then GetObject of random keys"
                        + " written, every body read compared with the bytes written; Meridian (%s of a one-region"
                        + " deployment) and s3proxy 2.4.1 (filesystem backend, -Xmx%s) up side by side; first %d s of"
                        + " PutObject and %d s of GetObject on each, discarded; then %d round(s) of each phase on one"
                        + " server then the other, which goes first alternating by round and by object size; every"
                        + " dirty page written out (`sync`) before each phase%n",
                settings.threads(), settings.warmup().toSeconds(), settings.duration().toSeconds(),
                settings.meridianRegion(), settings.peerHeap(), settings.serverWarmup().toSeconds(),
                settings.serverWarmup().toSeconds(), settings.rounds()));
        out.append(String.format(Locale.ROOT, "- Time to replicate: %d regions (%s) behind the WAN emulator, open-loop"
                        + " PutObject at %d objects/s into each, %s in turn, at most %d calls in flight per region,"
                        + " %d s warmup discarded, %d s measured%n%n",
                settings.regions().size(), delays.describe(settings.regions()), settings.rate(),
                sizes(settings.replicationSizes()), settings.maxInFlight(),
                settings.replicationWarmup().toSeconds(), settings.replicationDuration().toSeconds()));
        throughput(out);
        timeToReplicate(out);
        out.append(String.format(Locale.ROOT, "%nOverall: **%s**%n", passed() ? "PASS" : "FAIL"));
        failures.forEach(reason -> out.append("- ").append(reason).append('\n'));
        out.append(String.format(Locale.ROOT, "%nCPU per call while each throughput phase was measured (µs):%n%n"));
        out.append(ClosedLoopPhase.cpuPerCallMarkdown(phases(), CLIENT, List.of(MERIDIAN, PEER)));
        long written = replication.writes().stream().mapToLong(OpenLoopWriter.Result::ok).sum();
        out.append("\nCPU used while the replication load ran:\n\n")
                .append(replication.cpu().markdown(written, "object written"));
        return out.toString();
    }

    private void throughput(StringBuilder out) {
        out.append("| object size | operation | Meridian ops/s | s3proxy ops/s | Meridian / s3proxy | by round"
                + " | Meridian MiB/s | s3proxy MiB/s | Meridian p50 / p99 / p99.9 (ms) | s3proxy p50 / p99 / p99.9 (ms)"
                + " | errors (Meridian / s3proxy) |\n");
        out.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (SizeRun run : runs) {
            row(out, run.objectBytes(), "PutObject", run.meridian().puts(), run.peer().puts());
            row(out, run.objectBytes(), "GetObject", run.meridian().gets(), run.peer().gets());
        }
        out.append(String.format(Locale.ROOT, "%nops/s are the mean over the rounds, latency percentiles over all of"
                + " them; \"by round\" gives each round's ratio.%n"));
        out.append(String.format(Locale.ROOT, "%nMemory (PSS) after the throughput phases: Meridian %s, s3proxy %s%n%n",
                meridianMemory, peerMemory));
    }

    private static void row(StringBuilder out, int objectBytes, String operation, List<ClosedLoopPhase.Result> ours,
            List<ClosedLoopPhase.Result> theirs) {
        double oursPerSecond = meanPerSecond(ours);
        double theirsPerSecond = meanPerSecond(theirs);
        String byRound = IntStream.range(0, Math.min(ours.size(), theirs.size()))
                .mapToObj(round -> times(ratio(ours.get(round).perSecond(), theirs.get(round).perSecond())))
                .collect(Collectors.joining(", "));
        out.append(String.format(Locale.ROOT, "| %s | %s | %.0f | %.0f | %s | %s | %.1f | %.1f | %s | %s | %d / %d |%n",
                ObjectSizeConverter.describe(objectBytes), operation, oursPerSecond, theirsPerSecond,
                times(ratio(oursPerSecond, theirsPerSecond)), byRound, mibPerSecond(oursPerSecond, objectBytes),
                mibPerSecond(theirsPerSecond, objectBytes), Percentiles.p50p99p999(latency(ours)),
                Percentiles.p50p99p999(latency(theirs)), errors(ours), errors(theirs)));
    }

    private static double meanPerSecond(List<ClosedLoopPhase.Result> rounds) {
        return rounds.stream().mapToDouble(ClosedLoopPhase.Result::perSecond).average().orElse(Double.NaN);
    }

    private static Histogram latency(List<ClosedLoopPhase.Result> rounds) {
        Histogram all = Percentiles.newMicros();
        rounds.forEach(round -> all.add(round.latencyMicros()));
        return all;
    }

    private static long errors(List<ClosedLoopPhase.Result> rounds) {
        return rounds.stream().mapToLong(ClosedLoopPhase.Result::errors).sum();
    }

    private static String times(double ratio) {
        return Double.isNaN(ratio) ? "n/a" : String.format(Locale.ROOT, "%.2fx", ratio);
    }

    private void timeToReplicate(StringBuilder out) {
        out.append("| region | target PutObject/s | achieved PutObject/s | errors"
                + " | PutObject p50 / p99 / p99.9 (ms, from intended start) | memory (PSS) |\n");
        out.append("|---|---:|---:|---:|---:|---:|\n");
        var allLatency = Percentiles.newMicros();
        for (OpenLoopWriter.Result w : replication.writes()) {
            allLatency.add(w.latencyMicros());
            out.append(String.format(Locale.ROOT, "| %s | %d | %.1f | %d | %s | %s |%n", w.region(), settings.rate(),
                    w.achievedPerSecond(), w.errors(), Percentiles.p50p99p999(w.latencyMicros()),
                    regionMemory.getOrDefault(w.region(), "n/a")));
        }
        out.append(String.format(Locale.ROOT, "| all | %d | %.1f | %d | %s | |%n%n",
                settings.rate() * replication.writes().size(),
                replication.writes().stream().mapToDouble(OpenLoopWriter.Result::achievedPerSecond).sum(),
                replication.writes().stream().mapToLong(OpenLoopWriter.Result::errors).sum(),
                Percentiles.p50p99p999(allLatency)));
        out.append("Time to replicate, commit in the origin region to bytes durable in the destination (ms):\n\n");
        out.append("| origin -> destination | injected one-way delay | objects (written) | p50 | p99 | p99.9 | max"
                + " | within delay + " + ALLOWANCE.toSeconds() + " s |\n");
        out.append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (String origin : settings.regions()) {
            for (String destination : settings.regions()) {
                Histogram micros = replication.delays().getOrDefault(destination, Map.of()).get(origin);
                if (micros == null) {
                    continue;
                }
                Duration injected = delays.oneWay(origin, destination);
                long expected = replication.expected().getOrDefault(origin, 0L);
                double share = withinShare(micros, expected, injected.plus(ALLOWANCE));
                out.append(String.format(Locale.ROOT, "| %s -> %s | %d | %d (%d) | %s | %s | %s | %s | %s %s |%n",
                        origin, destination, injected.toMillis(), micros.getTotalCount(), expected,
                        ms(millis(micros, 50)), ms(millis(micros, 99)), ms(millis(micros, 99.9)), ms(maxMillis(micros)),
                        percent(share), share >= WITHIN_SHARE ? "**yes**" : "**no**"));
            }
        }
        out.append(String.format(Locale.ROOT, "%nObjects: reported by the destination (written by the origin in the"
                + " measured part). The destinations' delays are reset %d ms before the measured part, so that none of"
                + " it is lost; what the warmup's last moments replicated counts too.%n",
                ObjectReplication.RESET_AHEAD.toMillis()));
        out.append(String.format(Locale.ROOT, "%nRead back from every other region after the drain: %d objects, %s%n",
                replication.sampled(), replication.sampleProblems().isEmpty() ? "each identical to the one written"
                        : replication.sampleProblems().size() + " wrong or missing"));
        out.append(String.format(Locale.ROOT, "%nTarget: %.0f%% of the objects of every pair replicated within its"
                        + " injected one-way delay + %d s: **%s**%n", WITHIN_SHARE * 100, ALLOWANCE.toSeconds(),
                replicationTargetMet() ? "PASS" : "FAIL"));
    }

    private void judge() {
        for (ClosedLoopPhase.Result phase : phases()) {
            if (phase.errors() > 0) {
                failures.add(phase.name() + ": " + phase.errors() + " errors, first: " + phase.firstError());
            }
            if (phase.ok() == 0) {
                failures.add(phase.name() + ": no call succeeded");
            }
        }
        for (OpenLoopWriter.Result w : replication.writes()) {
            if (w.unsent() > 0) {
                failures.add(w.region() + ": " + w.unsent() + " of " + w.scheduled()
                        + " scheduled PutObject calls never sent (the load fell more than 30 s behind)");
            }
            if (w.errors() > 0) {
                failures.add(w.region() + ": " + w.errors() + " PutObject calls failed, first error: " + w.firstError());
            }
            if (w.achievedPerSecond() < settings.rate() * MIN_RATE_SHARE) {
                failures.add(String.format(Locale.ROOT, "%s: achieved %.1f PutObject/s, below %.0f%% of the %d asked",
                        w.region(), w.achievedPerSecond(), MIN_RATE_SHARE * 100, settings.rate()));
            }
        }
        if (!replication.drained()) {
            failures.add("object replication did not drain within " + ObjectReplication.DRAIN_TIMEOUT.toSeconds()
                    + " s after the load stopped");
        }
        if (!replicationTargetMet()) {
            failures.add("some pair replicated less than " + Math.round(WITHIN_SHARE * 100)
                    + "% of its objects within its injected delay + " + ALLOWANCE.toSeconds() + " s");
        }
        replication.sampleProblems().stream().limit(5).forEach(failures::add);
        if (replication.sampleProblems().size() > 5) {
            failures.add("... and " + (replication.sampleProblems().size() - 5) + " more objects read back wrong");
        }
    }

    private boolean replicationTargetMet() {
        if (replication.delays().isEmpty()) {
            return false;
        }
        for (var byDestination : replication.delays().entrySet()) {
            for (var byOrigin : byDestination.getValue().entrySet()) {
                Duration threshold = delays.oneWay(byOrigin.getKey(), byDestination.getKey()).plus(ALLOWANCE);
                long expected = replication.expected().getOrDefault(byOrigin.getKey(), 0L);
                if (!(withinShare(byOrigin.getValue(), expected, threshold) >= WITHIN_SHARE)) {
                    return false;
                }
            }
        }
        return true;
    }

    private List<ClosedLoopPhase.Result> phases() {
        List<ClosedLoopPhase.Result> phases = new ArrayList<>();
        for (SizeRun run : runs) {
            phases.addAll(run.meridian().puts());
            phases.addAll(run.peer().puts());
            phases.addAll(run.meridian().gets());
            phases.addAll(run.peer().gets());
        }
        return phases;
    }

    /** {@code ours / theirs}; NaN when theirs is zero. */
    static double ratio(double ours, double theirs) {
        return theirs == 0 ? Double.NaN : ours / theirs;
    }

    static double mibPerSecond(double objectsPerSecond, int objectBytes) {
        return objectsPerSecond * objectBytes / MIB;
    }

    /**
     * The share of the objects written that arrived within {@code threshold}: an object that never arrived counts as
     * late, so the share is of the expected count or of the arrived one, whichever is larger. NaN with neither.
     */
    static double withinShare(Histogram micros, long expected, Duration threshold) {
        long total = Math.max(expected, micros.getTotalCount());
        if (total == 0) {
            return Double.NaN;
        }
        long thresholdMicros = threshold.toNanos() / 1000;
        long within = micros.getTotalCount() == 0 ? 0 : micros.getCountBetweenValues(0, thresholdMicros);
        return (double) within / total;
    }

    private static String percent(double share) {
        // Rounded down, so a pair that missed by one object never shows 100%.
        return Double.isNaN(share) ? "n/a" : String.format(Locale.ROOT, "%.2f%%", Math.floor(share * 10_000) / 100);
    }

    private static String sizes(List<Integer> sizes) {
        return sizes.stream().map(ObjectSizeConverter::describe).collect(Collectors.joining(", "));
    }
}
