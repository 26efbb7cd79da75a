package dev.meridian.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The SDK benchmark's verdict (Meridian at least 3x DynamoDB Local's throughput) and its Markdown report. */
final class SdkReport {
    static final double TARGET_RATIO = 3.0;
    static final String CLIENT = "load generator (SDK client)";
    static final String MERIDIAN = "Meridian";
    static final String PEER = "DynamoDB Local";

    /** What the run was asked to do. */
    record Settings(int threads, int itemBytes, Duration warmup, Duration duration, String peerHeap) {}

    /** One server's two phases. */
    record Target(String name, ClosedLoopPhase.Result put, ClosedLoopPhase.Result get) {}

    private final Settings settings;
    private final Target meridian;
    private final String meridianMemory;
    private final Target peer;
    private final String peerMemory;
    private final List<String> failures = new ArrayList<>();

    SdkReport(Settings settings, Target meridian, String meridianMemory, Target peer, String peerMemory) {
        this.settings = settings;
        this.meridian = meridian;
        this.meridianMemory = meridianMemory;
        this.peer = peer;
        this.peerMemory = peerMemory;
        judge("PutItem", meridian.put(), peer.put());
        judge("GetItem", meridian.get(), peer.get());
    }

    boolean passed() {
        return failures.isEmpty();
    }

    String markdown(String command, MachineInfo machine) {
        var out = new StringBuilder();
        out.append("### SDK: PutItem and GetItem, one Meridian region vs DynamoDB Local\n\n");
        out.append(machine.markdown(command));
        out.append(String.format(Locale.ROOT, "- Load: closed loop, %d SDK threads (AWS SDK v2, Apache HttpClient 5,"
                        + " no retries), %d-byte items, per phase %d s warmup discarded then %d s measured;"
                        + " both servers up side by side, DynamoDB Local in memory with -Xmx%s%n%n",
                settings.threads(), settings.itemBytes(), settings.warmup().toSeconds(), settings.duration().toSeconds(),
                settings.peerHeap()));
        out.append("| server | operation | calls/s | errors | p50 / p99 / p99.9 (ms) | memory (PSS) |\n");
        out.append("|---|---|---:|---:|---:|---:|\n");
        row(out, meridian.name(), "PutItem", meridian.put(), meridianMemory);
        row(out, meridian.name(), "GetItem", meridian.get(), meridianMemory);
        row(out, peer.name(), "PutItem", peer.put(), peerMemory);
        row(out, peer.name(), "GetItem", peer.get(), peerMemory);
        out.append(String.format(Locale.ROOT, "%nTarget: Meridian's throughput at least %.0fx DynamoDB Local's, same run:%n",
                TARGET_RATIO));
        out.append(verdict("PutItem", meridian.put(), peer.put()));
        out.append(verdict("GetItem", meridian.get(), peer.get()));
        out.append(String.format(Locale.ROOT, "%nOverall: **%s**%n", passed() ? "PASS" : "FAIL"));
        failures.forEach(reason -> out.append("- ").append(reason).append('\n'));
        out.append(cpuTable());
        return out.toString();
    }

    /** CPU per call of each process in each measured phase, and the client-bound ceiling that implies. */
    private String cpuTable() {
        return String.format(Locale.ROOT, "%nCPU per call while each phase was measured (µs):%n%n")
                + ClosedLoopPhase.cpuPerCallMarkdown(List.of(meridian.put(), meridian.get(), peer.put(), peer.get()),
                        CLIENT, List.of(MERIDIAN, PEER));
    }

    private void judge(String operation, ClosedLoopPhase.Result ours, ClosedLoopPhase.Result theirs) {
        if (ratio(ours, theirs) < TARGET_RATIO) {
            failures.add(operation + " throughput below " + TARGET_RATIO + "x");
        }
        for (ClosedLoopPhase.Result result : List.of(ours, theirs)) {
            if (result.errors() > 0) {
                failures.add(result.name() + ": " + result.errors() + " errors, first: " + result.firstError());
            }
        }
    }

    private static void row(StringBuilder out, String server, String operation, ClosedLoopPhase.Result result,
            String memory) {
        out.append(String.format(Locale.ROOT, "| %s | %s | %.0f | %d | %s | %s |%n", server, operation,
                result.perSecond(), result.errors(), Percentiles.p50p99p999(result.latencyMicros()), memory));
    }

    private static String verdict(String operation, ClosedLoopPhase.Result ours, ClosedLoopPhase.Result theirs) {
        double ratio = ratio(ours, theirs);
        return String.format(Locale.ROOT, "- %s: %.0f / %.0f calls/s = %.2fx: **%s**%n", operation, ours.perSecond(),
                theirs.perSecond(), ratio, ratio >= TARGET_RATIO ? "PASS" : "FAIL");
    }

    private static double ratio(ClosedLoopPhase.Result ours, ClosedLoopPhase.Result theirs) {
        return theirs.perSecond() == 0 ? 0 : ours.perSecond() / theirs.perSecond();
    }
}
