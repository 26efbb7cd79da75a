package dev.meridian.bench.faults;

import dev.meridian.bench.MachineInfo;
import dev.meridian.testkit.faults.FaultSchedule;
import dev.meridian.testkit.history.Operation;
import dev.meridian.testkit.history.Violation;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** The Markdown report of a fault run: the faults injected, the calls checked, and every violation found. */
public final class FaultReport {
    private static final int MOST_VIOLATIONS_LISTED = 50;

    private FaultReport() {}

    public static String markdown(FaultRun.Result result, MachineInfo machine, String command) {
        FaultRun.Settings settings = result.settings();
        var out = new StringBuilder("### Fault run: " + settings.duration().toMinutes() + " min, seed "
                + settings.seed() + "\n\n");
        out.append(machine.markdown(command));
        out.append("- Regions: ").append(String.join(", ", settings.regions()))
                .append(" behind the WAN emulator (realistic delays); ").append(settings.writers())
                .append(" writers of 20 shared keys, ").append(settings.sessions())
                .append(" SESSION clients (MeridianSession) with keys of their own, ").append(settings.globalReaders())
                .append(" GLOBAL readers of the shared keys, one counter writer (DynamoDB); ")
                .append(settings.objectWriters()).append(" writers of 10 shared object keys (S3); ")
                .append(settings.strongClients()).append(" clients of a strong table (consistent reads, puts, deletes,")
                .append(" compare-and-set puts of 4 keys at a time); every call through the AWS SDK v2\n");
        out.append("- Rerun exactly this schedule: `--seed ").append(settings.seed()).append("`\n\n");

        out.append("| fault | injected | in place, total (s) |\n|---|---:|---:|\n");
        Map<String, long[]> faults = new TreeMap<>();
        for (FaultSchedule.Injected fault : result.faults()) {
            long[] totals = faults.computeIfAbsent(fault.kind(), k -> new long[2]);
            totals[0]++;
            totals[1] += fault.heldMillis();
        }
        faults.forEach((kind, totals) -> out.append(String.format(Locale.ROOT, "| %s | %d | %.1f |%n", kind,
                totals[0], totals[1] / 1000.0)));

        var failed = result.faults().stream().filter(fault -> fault.description().contains("failed:")).toList();
        if (!failed.isEmpty()) {
            out.append("\nFaults that could not be injected or undone (the run went on):\n\n");
            failed.forEach(fault -> out.append("- at ").append(fault.atMillis() / 1000).append(" s: ")
                    .append(fault.description()).append('\n'));
        }
        out.append("\n| call | acknowledged | refused | unanswered |\n|---|---:|---:|---:|\n");
        Map<Operation.Kind, Map<Operation.Outcome, Long>> calls = result.history().stream().collect(Collectors
                .groupingBy(Operation::kind, TreeMap::new, Collectors.groupingBy(Operation::outcome, Collectors.counting())));
        calls.forEach((kind, outcomes) -> out.append(String.format(Locale.ROOT, "| %s | %d | %d | %d |%n",
                kind.name().toLowerCase(Locale.ROOT), outcomes.getOrDefault(Operation.Outcome.OK, 0L),
                outcomes.getOrDefault(Operation.Outcome.FAILED, 0L), outcomes.getOrDefault(Operation.Outcome.UNKNOWN, 0L))));

        out.append("\n| check | violations |\n|---|---:|\n");
        for (String check : result.checks()) {
            long found = result.violations().stream().filter(v -> v.check().equals(check)).count();
            out.append("| ").append(check).append(" | ").append(found).append(" |\n");
        }
        out.append(String.format(Locale.ROOT, "%nRegions agreed %.1f s after the last fault was undone.%n",
                result.convergedAfter().toMillis() / 1000.0));
        if (!result.violations().isEmpty()) {
            out.append("\nViolations:\n\n");
            result.violations().stream().limit(MOST_VIOLATIONS_LISTED)
                    .forEach(v -> out.append("- ").append(v).append('\n'));
        }
        out.append("\nResult: **").append(result.violations().isEmpty() ? "PASS" : "FAIL").append("**\n");
        return out.toString();
    }
}
