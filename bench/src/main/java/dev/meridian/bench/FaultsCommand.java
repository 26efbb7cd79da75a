package dev.meridian.bench;

import dev.meridian.bench.faults.FaultReport;
import dev.meridian.bench.faults.FaultRun;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "faults", mixinStandardHelpOptions = true,
        description = "A randomized fault run: table and object workloads on three regions while links are cut, partitioned "
                + "one way, slowed and jittered, and regions are killed (-9) and paused; then checks the history for "
                + "lost writes, divergence, deletes coming back, broken session guarantees and stale GLOBAL reads. "
                + "Exits 1 on a violation.")
final class FaultsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--duration", defaultValue = "30m", converter = DurationConverter.class,
            description = "How long the workload runs under faults (default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--seed", description = "Seed of the fault schedule and the workload (default: random, printed).")
    Long seed;

    @Option(names = "--regions", split = ",", defaultValue = "us-east-1,eu-west-1,ap-southeast-1",
            description = "Regions, comma-separated (default: ${DEFAULT-VALUE}).")
    List<String> regions;

    @Option(names = "--writers", defaultValue = "3", description = "Clients writing shared keys (default: ${DEFAULT-VALUE}).")
    int writers;

    @Option(names = "--sessions", defaultValue = "3", description = "SESSION clients (default: ${DEFAULT-VALUE}).")
    int sessions;

    @Option(names = "--global-readers", defaultValue = "2",
            description = "Clients reading shared keys with GLOBAL consistency (default: ${DEFAULT-VALUE}).")
    int globalReaders;

    @Option(names = "--object-writers", defaultValue = "2",
            description = "Clients putting and deleting objects of shared keys (default: ${DEFAULT-VALUE}).")
    int objectWriters;

    @Option(names = "--strong-clients", defaultValue = "3",
            description = "Clients of a strong table, checked for linearizability (default: ${DEFAULT-VALUE}).")
    int strongClients;

    @Option(names = "--data-dir",
            description = "Where the regions keep their data (default: a temporary directory, deleted afterwards).")
    Path dataDir;

    @Override
    public Integer call() throws Exception {
        if (duration.isNegative() || duration.isZero() || writers < 1 || sessions < 1 || globalReaders < 0
                || objectWriters < 1 || strongClients < 0 || regions.size() < 2) {
            throw new IllegalArgumentException("--duration, --writers, --sessions and --object-writers must be positive, with two regions or more");
        }
        if (strongClients > 0 && regions.size() < 3) {
            throw new IllegalArgumentException("--strong-clients needs three regions or more (a majority for the"
                    + " strong log); give --strong-clients 0 for two");
        }
        long chosen = seed != null ? seed : new SecureRandom().nextLong();
        var machine = MachineInfo.current();
        Progress.say("fault run of " + duration.toMinutes() + " min on " + regions + ", seed " + chosen
                + " (rerun with --seed " + chosen + ")");
        var settings = new FaultRun.Settings(regions, duration, chosen, writers, sessions, globalReaders, objectWriters,
                strongClients, Duration.ofSeconds(120));
        FaultRun.Result result = FaultRun.run(settings, dataDir);
        System.out.println(FaultReport.markdown(result, machine, BenchMain.typed(spec)));
        return result.violations().isEmpty() ? 0 : 1;
    }
}
