package dev.meridian.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meridian.gateway.Gateway;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code meridian status}: each region's health and how far each peer lags behind its change log. */
@Command(
        name = "status",
        mixinStandardHelpOptions = true,
        description = {
            "Show each region's health and its replication lag to every peer.",
            "Regions come from a running `meridian local` (--control) or are named directly (--endpoints).",
            "Exits 1 when any region is unreachable."
        })
public final class StatusCommand implements Callable<Integer> {
    @Mixin
    RegionTargets regions;

    @Option(names = "--gateway", paramLabel = "URL",
            description = "The gateway to show too (default: the one `meridian local` runs at the control port + 8,"
                    + " when it answers).")
    URI gateway;

    /** One region as asked: its status document, or why it could not be had. */
    private record RegionReport(String label, URI endpoint, JsonNode status, String problem) {}

    @Override
    public Integer call() throws InterruptedException {
        var client = new JsonClient();
        Optional<List<RegionTargets.Target>> listed = regions.listOrExplain(client, "status");
        if (listed.isEmpty()) {
            return 1;
        }
        List<RegionTargets.Target> targets = listed.get();
        List<RegionReport> reports = new ArrayList<>();
        for (RegionTargets.Target target : targets) {
            reports.add(ask(client, target));
        }
        print(System.out, reports);
        boolean gatewayAnswered = printGateway(System.out, client);
        return reports.stream().allMatch(r -> r.status() != null) && gatewayAnswered ? 0 : 1;
    }

    private static RegionReport ask(JsonClient client, RegionTargets.Target target) throws InterruptedException {
        try {
            JsonNode status = client.get(target.endpoint().resolve("/_meridian/status"));
            return new RegionReport(status.path("region").asText(target.label()), target.endpoint(), status, null);
        } catch (IOException e) {
            return new RegionReport(target.label(), target.endpoint(), null, JsonClient.describe(e));
        }
    }

    private static void print(PrintStream out, List<RegionReport> reports) {
        String regionRow = "%-16s %-24s %-12s %10s  %s";
        printRow(out, regionRow, "REGION", "ENDPOINT", "HEALTH", "HEAD SEQ", "APPLIED FROM PEERS");
        for (RegionReport r : reports) {
            if (r.status() == null) {
                printRow(out, regionRow, r.label(), r.endpoint(), "UNREACHABLE", "-", "(" + r.problem() + ")");
            } else {
                printRow(out, regionRow, r.label(), r.endpoint(), "up", r.status().path("headSeq").asLong(),
                        applied(r.status().path("applied")));
            }
        }
        out.println();
        out.println("REPLICATION LAG (how far TO is behind FROM's change log)");
        String lagRow = "%-16s %-16s %-14s %10s %12s %10s  %s";
        printRow(out, lagRow, "FROM", "TO", "STREAM", "ACKED SEQ", "LAG ENTRIES", "LAG", "");
        for (RegionReport r : reports) {
            if (r.status() == null) {
                printRow(out, lagRow, r.label(), "-", "unknown", "-", "-", "-", "(region unreachable)");
                continue;
            }
            for (JsonNode peer : r.status().path("peers")) {
                printRow(out, lagRow, r.label(), peer.path("name").asText(), peer.path("state").asText(),
                        peer.path("ackedSeq").asLong(), peer.path("lagEntries").asLong(),
                        String.format("%.2f s", peer.path("lagSeconds").asDouble()),
                        peer.path("beyondRetention").asBoolean() ? "beyond retention: needs a snapshot re-sync" : "");
            }
        }
        printObjectReplication(out, reports);
        printSql(out, reports);
    }

    /** Object bytes each source region still has to get to each destination, as S3 Replication metrics report. */
    private static void printObjectReplication(PrintStream out, List<RegionReport> reports) {
        out.println();
        out.println("OBJECT REPLICATION (bytes written in FROM not yet copied to TO)");
        String row = "%-16s %-16s %-24s %10s %14s %12s %12s";
        printRow(out, row, "FROM", "TO", "BUCKET", "PENDING", "PENDING BYTES", "LATENCY P50", "LATENCY P99");
        for (RegionReport r : reports) {
            JsonNode backlog = r.status() == null ? null : r.status().get("objectReplication");
            if (backlog == null) {
                continue;
            }
            for (JsonNode entry : backlog) {
                printRow(out, row, r.label(), entry.path("destination").asText(), entry.path("bucket").asText(),
                        entry.path("pendingOperations").asLong(), entry.path("pendingBytes").asLong(),
                        String.format("%.0f ms", entry.path("latencyP50Millis").asDouble()),
                        String.format("%.0f ms", entry.path("latencyP99Millis").asDouble()));
            }
        }
    }

    /** The SQL primary's view of every standby, when the deployment runs PostgreSQL. */
    private static void printSql(PrintStream out, List<RegionReport> reports) {
        for (RegionReport r : reports) {
            JsonNode sql = r.status() == null ? null : r.status().get("sql");
            if (sql == null || !"primary".equals(sql.path("role").asText())) {
                continue;
            }
            out.println();
            out.println("SQL REPLICATION (primary " + r.label() + " in epoch " + sql.path("epoch").asLong()
                    + ", PostgreSQL port " + sql.path("serverPort").asInt() + "; how far each standby is behind)");
            String row = "%-16s %-14s %14s %10s";
            printRow(out, row, "STANDBY", "STATE", "LAG BYTES", "LAG");
            for (JsonNode standby : sql.path("standbys")) {
                boolean known = standby.hasNonNull("lagBytes");
                printRow(out, row, standby.path("region").asText(), standby.path("state").asText(),
                        known ? Long.toString(standby.path("lagBytes").asLong()) : "-",
                        known ? String.format("%.2f s", standby.path("lagSeconds").asDouble()) : "-");
            }
        }
        for (RegionReport r : reports) {
            JsonNode sql = r.status() == null ? null : r.status().get("sql");
            if (sql != null && "fenced".equals(sql.path("state").asText())) {
                out.println("  " + r.label() + " is FENCED: cut off from the majority, its server is stopped until it"
                        + " rejoins as a standby");
            }
        }
        reports.stream().map(r -> r.status() == null ? null : r.status().path("sql").get("lastFailover"))
                .filter(last -> last != null && !last.isNull()).findFirst().ifPresent(last -> out.println(
                        "  last change of primary: " + last.path("from").asText() + " -> " + last.path("to").asText()
                                + " (epoch " + last.path("epoch").asLong() + ", "
                                + (last.path("planned").asBoolean() ? "planned" : "failover") + ", lost WAL estimate "
                                + last.path("rpoBytesEstimate").asLong() + " bytes)"));
    }

    /** The gateway's view of each region; false only when a gateway named with --gateway does not answer. */
    private boolean printGateway(PrintStream out, JsonClient client) throws InterruptedException {
        URI url = gateway != null ? gateway : regions.localGateway().orElse(null);
        if (url == null) {
            return true;
        }
        JsonNode status;
        try {
            status = client.get(url.resolve(Gateway.ADMIN + "status"));
        } catch (IOException e) {
            if (gateway != null) {
                out.println();
                out.println("GATEWAY " + url + " UNREACHABLE (" + JsonClient.describe(e) + ")");
                return false;
            }
            return true;
        }
        out.println();
        out.println("GATEWAY " + url + " (taking traffic, nearest first: " + status.path("takingTraffic") + "; "
                + status.path("unrouted").asLong() + " requests refused for want of a healthy region)");
        String row = "%-16s %-6s %-9s %10s %10s %8s %12s %8s  %s";
        printRow(out, row, "REGION", "STATE", "TRAFFIC", "PROBE", "REQUESTS", "ERRORS", "MEAN LATENCY", "CHANGES", "");
        for (JsonNode region : status.path("regions")) {
            printRow(out, row, region.path("name").asText(), region.path("state").asText(),
                    region.path("takingTraffic").asBoolean() ? "yes" : "no",
                    String.format("%.1f ms", region.path("probeLatencyMillis").asDouble()),
                    region.path("requests").asLong(), region.path("errors").asLong(),
                    String.format("%.1f ms", region.path("meanLatencyMillis").asDouble()),
                    region.path("changes").asLong(),
                    region.path("isolated").asBoolean() ? "cut off from its peers"
                            : region.path("lastFailure").asText());
        }
        JsonNode cache = status.get("cache");
        if (cache != null) {
            out.printf("EDGE CACHE: hit ratio %.1f%%, %s, %.1f MiB in memory, %.1f MiB on disk%n",
                    100 * cache.path("hitRatio").asDouble(), cache.path("requests"),
                    cache.path("memoryBytes").asDouble() / (1 << 20), cache.path("diskBytes").asDouble() / (1 << 20));
        }
        return true;
    }

    private static String applied(JsonNode applied) {
        var text = new StringJoiner(", ");
        for (Map.Entry<String, JsonNode> origin : applied.properties()) {
            text.add(origin.getKey() + "=" + origin.getValue().asLong());
        }
        return text.length() == 0 ? "-" : text.toString();
    }

    /** One table row, without the padding an empty last column would leave at the end of the line. */
    private static void printRow(PrintStream out, String format, Object... columns) {
        out.println(String.format(format, columns).stripTrailing());
    }
}
