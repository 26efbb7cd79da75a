package dev.meridian.bench.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.bench.MachineInfo;
import dev.meridian.testkit.faults.FaultSchedule;
import dev.meridian.testkit.history.Operation;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The short randomized fault run CI makes: 90 s of faults under a table workload, then every check. The seed is
 * random and printed; rerun one with {@code -Dmeridian.faults.seed=N} (or {@code ./meridian bench faults --seed N}).
 */
class FaultRunTest {
    @TempDir
    Path dir;

    @Test
    void noLostWritesNoDivergenceNoBrokenSessionUnderRandomFaults() throws Exception {
        long seed = Long.getLong("meridian.faults.seed", new SecureRandom().nextLong());
        System.out.println("fault run seed: " + seed + " (rerun with -Dmeridian.faults.seed=" + seed + ")");
        var settings = new FaultRun.Settings(List.of("us-east-1", "eu-west-1", "ap-southeast-1"), Duration.ofSeconds(90),
                seed, 3, 3, 2, 2, 3, Duration.ofSeconds(120));
        FaultRun.Result result = FaultRun.run(settings, dir);
        String report = FaultReport.markdown(result, MachineInfo.current(), "FaultRunTest, seed " + seed);
        System.out.println(report);

        assertThat(result.violations()).as(report).isEmpty();
        // A count alone would depend on the machine: a restart after kill -9 takes 2 s on a quiet one, 30 s in a busy CI
        assertThat(result.faults()).as("faults injected").hasSizeGreaterThanOrEqualTo(3);
        long underFaults = result.faults().stream().mapToLong(FaultSchedule.Injected::heldMillis).sum();
        assertThat(underFaults).as("milliseconds under faults").isGreaterThan(settings.duration().toMillis() / 3);
        assertThat(result.history().stream().filter(op -> op.isMutation() && op.outcome() == Operation.Outcome.OK))
                .as("acknowledged writes checked").hasSizeGreaterThan(1000);
        assertThat(result.history().stream().filter(op -> op.key().startsWith(ObjectWorkload.PREFIX)
                && op.isMutation() && op.outcome() == Operation.Outcome.OK)).as("object writes checked").hasSizeGreaterThan(100);
        assertThat(result.history().stream().filter(op -> op.kind() == Operation.Kind.READ
                && op.outcome() == Operation.Outcome.OK)).as("reads checked").hasSizeGreaterThan(200);
        assertThat(result.history().stream().filter(op -> op.key().startsWith(StrongWorkload.PREFIX)
                && op.outcome() == Operation.Outcome.OK)).as("strong calls checked").hasSizeGreaterThan(100);
    }
}
