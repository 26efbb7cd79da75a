package dev.meridian.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.meridian.testkit.DelayMatrix;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class S3ReportTest {
    private static final List<String> REGIONS = List.of("us-east-1", "eu-west-1");
    private static final DelayMatrix DELAYS = DelayMatrix.uniform(Duration.ofMillis(40));
    private static final MachineInfo MACHINE =
            new MachineInfo("2026-01-01 00:00 UTC", 2, "Test CPU", "4.0 GiB RAM", "Java 17", "0.10 0.20 0.30");
    private static final CpuWindow.Usage CPU = new CpuWindow.Usage(
            Map.of(S3Report.CLIENT, Duration.ofSeconds(2), S3Report.MERIDIAN, Duration.ofSeconds(1)),
            Duration.ofSeconds(10));

    @Test
    void ratiosAndBandwidthFollowFromCallsPerSecond() {
        assertThat(S3Report.ratio(300, 100)).isEqualTo(3.0);
        assertThat(S3Report.ratio(300, 0)).isNaN();
        assertThat(S3Report.mibPerSecond(256, 4096)).isEqualTo(1.0);
        assertThat(S3Report.mibPerSecond(12.5, 1 << 20)).isEqualTo(12.5);
    }

    @Test
    void objectsThatNeverArrivedCountAsLate() {
        Histogram arrived = delays(100, 50_000);

        assertThat(S3Report.withinShare(arrived, 100, Duration.ofSeconds(1))).isEqualTo(1.0);
        assertThat(S3Report.withinShare(arrived, 200, Duration.ofSeconds(1))).isEqualTo(0.5);
        assertThat(S3Report.withinShare(arrived, 50, Duration.ofSeconds(1))).isEqualTo(1.0);
        assertThat(S3Report.withinShare(arrived, 100, Duration.ofMillis(10))).isEqualTo(0.0);
        assertThat(S3Report.withinShare(delays(3, 1000), 4, Duration.ofSeconds(1))).isCloseTo(0.75, within(1e-9));
        assertThat(S3Report.withinShare(Percentiles.newMicros(), 0, Duration.ofSeconds(1))).isNaN();
    }

    @Test
    void aCleanRunPassesAndReportsBothServersSideBySide() {
        var report = report(List.of(), delays(1000, 60_000), true);

        String markdown = report.markdown("./meridian bench s3", MACHINE);

        assertThat(report.passed()).isTrue();
        assertThat(markdown)
                .startsWith("### S3: PutObject and GetObject, one Meridian region vs s3proxy;")
                .contains("- Command: `./meridian bench s3`")
                .contains("| 4 KiB | PutObject | 900 | 300 | 3.00x | 3.00x | 3.5 | 1.2 |")
                .contains("| 1 MiB | GetObject | 160 | 200 | 0.80x | 0.50x, 1.25x | 160.0 | 200.0 |")
                .contains("| s3proxy GetObject 1 MiB, round 2 |")
                .contains("per phase 10 s warmup discarded then 20 s measured")
                .contains("at most 64 calls in flight per region, 60 s warmup discarded, 20 s measured")
                .contains("Memory (PSS) after the throughput phases: Meridian 300 MiB, s3proxy 200 MiB")
                .contains("| us-east-1 -> eu-west-1 | 40 | 1000 (1000) | 60.03 | 60.03 | 60.03 | 60.03"
                        + " | 100.00% **yes** |")
                .contains("Overall: **PASS**");
        assertThat(markdown.indexOf("| us-east-1 -> eu-west-1 |"))
                .isLessThan(markdown.indexOf("| eu-west-1 -> us-east-1 |"));
    }

    @Test
    void aPairWithMoreThanOnePercentLateFailsTheRun() {
        Histogram late = delays(980, 60_000);
        for (int i = 0; i < 20; i++) {
            late.recordValue(1_500_000); // 1.5 s: beyond 40 ms + 1 s
        }

        var report = report(List.of(), late, true);

        assertThat(report.passed()).isFalse();
        assertThat(report.markdown("c", MACHINE))
                .contains("| us-east-1 -> eu-west-1 | 40 | 1000 (1000) |")
                .contains("98.00% **no**")
                .contains("Overall: **FAIL**");
    }

    @Test
    void wrongAnswersAndAnUndrainedReplicationFailTheRun() {
        var report = report(List.of("us-east-1 -> eu-west-1: GetObject read 10 bytes of repl-us-east-1-7, wrote 4096"),
                delays(1000, 60_000), false);

        assertThat(report.passed()).isFalse();
        assertThat(report.markdown("c", MACHINE))
                .contains("- object replication did not drain")
                .contains("- us-east-1 -> eu-west-1: GetObject read 10 bytes")
                .contains("1 wrong or missing");
    }

    @Test
    void aFailedCallInAThroughputPhaseFailsTheRun() {
        var settings = settings();
        var failing = phase("Meridian GetObject 4 KiB", 900, 3, "GetObject read the body of another key");
        var runs = List.of(new S3Report.SizeRun(4096,
                new S3Report.Target(List.of(phase("Meridian PutObject 4 KiB", 900, 0, null)), List.of(failing)),
                new S3Report.Target(List.of(phase("s3proxy PutObject 4 KiB", 300, 0, null)),
                        List.of(phase("s3proxy GetObject 4 KiB", 300, 0, null)))));

        var report = new S3Report(settings, runs, "1 MiB", "1 MiB", replication(List.of(), delays(1000, 60_000), true),
                Map.of(), DELAYS);

        assertThat(report.passed()).isFalse();
        assertThat(report.markdown("c", MACHINE))
                .contains("- Meridian GetObject 4 KiB: 3 errors, first: GetObject read the body of another key");
    }

    @Test
    void copiesStillMissingAreCountedPerPair() {
        Map<String, Map<String, Histogram>> delays = new LinkedHashMap<>();
        delays.put("eu-west-1",
                new TreeMap<>(Map.of("us-east-1", delays(90, 1000), "ap-southeast-1", delays(120, 1000))));
        delays.put("us-east-1", new TreeMap<>(Map.of("eu-west-1", delays(100, 1000))));

        long missing = ObjectReplication.missing(Map.of("us-east-1", 100L, "eu-west-1", 100L, "ap-southeast-1", 100L),
                delays);

        assertThat(missing).isEqualTo(10); // 10 from us-east-1; the extra 20 from ap-southeast-1 make up nothing
    }

    @Test
    void cpuPerCallTableHasAColumnPerProcess() {
        var result = phase("Meridian PutObject 4 KiB", 100, 0, null);

        String table = ClosedLoopPhase.cpuPerCallMarkdown(List.of(result), S3Report.CLIENT,
                List.of(S3Report.MERIDIAN, S3Report.PEER));

        assertThat(table).isEqualTo(
                "| phase | load generator (SDK client) | Meridian | s3proxy | cores busy (of "
                        + Runtime.getRuntime().availableProcessors() + ") | client-bound ceiling, calls/s |\n"
                        + "|---|---:|---:|---:|---:|---:|\n"
                        + "| Meridian PutObject 4 KiB | 2000 | 1000 | 0 | 0.30 | "
                        + String.format(Locale.ROOT, "%.0f", Runtime.getRuntime().availableProcessors() * 500.0)
                        + " |\n");
    }

    private static S3Report report(List<String> sampleProblems, Histogram pairDelays, boolean drained) {
        var runs = List.of(
                new S3Report.SizeRun(4096,
                        new S3Report.Target(List.of(phase("Meridian PutObject 4 KiB", 900, 0, null)),
                                List.of(phase("Meridian GetObject 4 KiB", 1800, 0, null))),
                        new S3Report.Target(List.of(phase("s3proxy PutObject 4 KiB", 300, 0, null)),
                                List.of(phase("s3proxy GetObject 4 KiB", 900, 0, null)))),
                new S3Report.SizeRun(1 << 20, // two rounds
                        new S3Report.Target(List.of(phase("Meridian PutObject 1 MiB, round 1", 60, 0, null),
                                phase("Meridian PutObject 1 MiB, round 2", 60, 0, null)),
                                List.of(phase("Meridian GetObject 1 MiB, round 1", 120, 0, null),
                                        phase("Meridian GetObject 1 MiB, round 2", 200, 0, null))),
                        new S3Report.Target(List.of(phase("s3proxy PutObject 1 MiB, round 1", 30, 0, null),
                                phase("s3proxy PutObject 1 MiB, round 2", 30, 0, null)),
                                List.of(phase("s3proxy GetObject 1 MiB, round 1", 240, 0, null),
                                        phase("s3proxy GetObject 1 MiB, round 2", 160, 0, null)))));
        return new S3Report(settings(), runs, "300 MiB", "200 MiB", replication(sampleProblems, pairDelays, drained),
                Map.of("us-east-1", "400 MiB", "eu-west-1", "410 MiB"), DELAYS);
    }

    private static S3Report.Settings settings() {
        return new S3Report.Settings(8, Duration.ofSeconds(30), 2, Duration.ofSeconds(10), Duration.ofSeconds(20), List.of(4096, 1 << 20),
                "us-east-1", "512m", REGIONS, 50, List.of(4096, 65_536, 1 << 20), Duration.ofSeconds(60),
                Duration.ofSeconds(20), 64);
    }

    /** Both regions wrote 1000 objects in the measured part; us-east-1 -> eu-west-1 took {@code pairDelays}. */
    private static ObjectReplication.Result replication(List<String> sampleProblems, Histogram pairDelays,
            boolean drained) {
        var writes = List.of(
                new OpenLoopWriter.Result("us-east-1", 1000, 0, 1000, 0, 50.0, delays(1000, 5000), null),
                new OpenLoopWriter.Result("eu-west-1", 1000, 0, 1000, 0, 50.0, delays(1000, 5000), null));
        Map<String, Map<String, Histogram>> delays = new LinkedHashMap<>();
        delays.put("us-east-1", new TreeMap<>(Map.of("eu-west-1", delays(1000, 45_000))));
        delays.put("eu-west-1", new TreeMap<>(Map.of("us-east-1", pairDelays)));
        return new ObjectReplication.Result(writes, Map.of("us-east-1", 1000L, "eu-west-1", 1000L), delays, drained,
                CPU, 24, sampleProblems);
    }

    private static ClosedLoopPhase.Result phase(String name, double perSecond, long errors, String firstError) {
        return new ClosedLoopPhase.Result(name, (long) perSecond * 10, errors, perSecond, delays(100, 2000), firstError,
                CPU);
    }

    private static Histogram delays(int count, long micros) {
        Histogram histogram = Percentiles.newMicros();
        histogram.recordValueWithCount(micros, count);
        return histogram;
    }
}
