package dev.meridian.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code meridian repair}: an anti-entropy round in every region now. */
@Command(
        name = "repair",
        mixinStandardHelpOptions = true,
        description = {
            "Compare every region's whole state with every peer's (Merkle digests) and pull what differs.",
            "Regions also do this on their own every fabric.antiEntropyInterval (default 10 min).",
            "Regions come from a running `meridian local` (--control) or are named directly (--endpoints).",
            "Exits 1 when a region or a peer could not be reached."
        })
public final class RepairCommand implements Callable<Integer> {
    /** A comparison scans the whole state on both sides; each call to a peer is bounded by 30 s. */
    private static final Duration TIMEOUT = Duration.ofMinutes(10);

    @Mixin
    RegionTargets regions;

    @Override
    public Integer call() throws InterruptedException {
        var client = new JsonClient();
        Optional<List<RegionTargets.Target>> listed = regions.listOrExplain(client, "repair");
        if (listed.isEmpty()) {
            return 1;
        }
        List<RegionTargets.Target> targets = listed.get();
        boolean complete = true;
        String row = "%-16s %-16s %16s %14s  %s%n";
        System.out.printf(row, "REGION", "PEER", "RANGES DIFFERED", "STATES PULLED", "");
        for (RegionTargets.Target target : targets) {
            try {
                JsonNode result = client.post(target.endpoint().resolve("/_meridian/repair"), TIMEOUT);
                for (JsonNode peer : result.path("peers")) {
                    boolean failed = !peer.path("error").isNull() && !peer.path("error").isMissingNode();
                    complete &= !failed;
                    System.out.printf(row, result.path("region").asText(target.label()), peer.path("peer").asText(),
                            failed ? "-" : peer.path("leavesDiffering").asText(),
                            failed ? "-" : peer.path("entriesPulled").asText(),
                            failed ? "(" + peer.path("error").asText() + ")" : "");
                }
            } catch (IOException e) {
                complete = false;
                System.out.printf(row, target.label(), "-", "-", "-", "(unreachable: " + JsonClient.describe(e) + ")");
            }
        }
        return complete ? 0 : 1;
    }
}
