package dev.meridian.server.cli;

import dev.meridian.core.ConfigException;
import dev.meridian.gateway.Gateway;
import dev.meridian.gateway.GatewayConfig;
import dev.meridian.gateway.RegionTarget;
import dev.meridian.testkit.DelayMatrix;
import dev.meridian.testkit.LocalCluster;
import dev.meridian.testkit.RegionStartException;
import java.io.IOException;
import java.io.PrintStream;
import java.net.BindException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code meridian local}: a whole multi-region deployment on this machine, behind an emulated WAN, until Ctrl-C. */
@Command(
        name = "local",
        mixinStandardHelpOptions = true,
        description = {
            "Run every region as its own process on this machine, all inter-region traffic delayed like a real WAN.",
            "",
            "Ports, from the base port B (default 8100): B is the control API (meridian status / chaos),",
            "region i (1-based, in --regions order, at most 7) serves HTTP on B+i, replication on B+10+i, its",
            "SQL endpoint on B+90+i and its PostgreSQL server on B+100+i, and the WAN link from region i to",
            "region j listens on B+10*(i+1)+j; the gateway, one endpoint for every region, serves on B+8",
            "and answers DNS for meridian.internal. on B+9.",
            "A deployment spans B..B+107, so a second one can use B+110;",
            "--base-port 0 picks free ports instead.",
            "Data, configs and logs stay in --data-dir, so running again resumes the same state."
        })
public final class LocalCommand implements Callable<Integer> {
    static final int GATEWAY_OFFSET = 8;
    private static final int DNS_OFFSET = 9;
    private static final String DNS_ZONE = "meridian.internal.";

    @Option(names = "--regions", split = ",", defaultValue = "us-east-1,eu-west-1,ap-southeast-1",
            description = "Regions to run, comma separated (default: ${DEFAULT-VALUE}).")
    List<String> regions;

    @Option(names = "--delay", converter = DelayConverter.class, paramLabel = "DELAY",
            description = "One-way delay between every pair, e.g. 40ms or 0.1s (default: close to real figures per pair).")
    Duration delay;

    @Option(names = "--data-dir", defaultValue = "meridian-data",
            description = "Where regions keep data, configs and logs (default: ./${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--base-port", defaultValue = ControlServer.DEFAULT_PORT,
            description = "First port of the layout above (default: ${DEFAULT-VALUE}).")
    int basePort;

    @Option(names = "--sql-primary", paramLabel = "REGION",
            description = "The region whose PostgreSQL is read-write; the others run hot standbys of it"
                    + " (default: the first of --regions).")
    String sqlPrimary;

    @Option(names = "--no-sql", description = "Run no PostgreSQL at all.")
    boolean noSql;

    @Override
    public Integer call() throws InterruptedException {
        PrintStream out = System.out;
        ControlServer control;
        try {
            control = ControlServer.bind(basePort);
        } catch (BindException e) {
            System.err.println("meridian local: control port " + basePort + " is in use. Is another `meridian local`"
                    + " running? Stop it, or pass --base-port with another port (or 0 for free ports).");
            return 1;
        } catch (IOException e) {
            System.err.println("meridian local: cannot open the control port " + basePort + ": " + e.getMessage());
            return 1;
        }
        DelayMatrix delays = delay == null ? DelayMatrix.realistic() : DelayMatrix.uniform(delay);
        Path root = dataDir.toAbsolutePath().normalize();
        out.println("Starting " + regions.size() + " regions in " + root + " (one-way WAN delays: "
                + delays.describe(regions) + ")…");
        LocalCluster cluster;
        try {
            var builder = LocalCluster.builder()
                    .regions(regions)
                    .dataRoot(root)
                    .basePort(basePort)
                    .delays(delays)
                    .controlPlane(); // strong tables: with three regions or more, also without the SQL layer
            if (!noSql) {
                builder.sql(sqlPrimary != null ? sqlPrimary : regions.get(0));
            }
            cluster = builder.start();
        } catch (RegionStartException | ConfigException | IllegalArgumentException e) {
            control.stop();
            System.err.println("meridian local: " + e.getMessage());
            return 1;
        }
        control.start(cluster);
        Gateway gateway;
        try {
            gateway = Gateway.start(GatewayConfig.of(basePort == 0 ? 0 : basePort + GATEWAY_OFFSET,
                    cluster.regions().stream().map(r -> new RegionTarget(r, cluster.endpoint(r))).toList())
                    .withDns(DNS_ZONE, basePort == 0 ? 0 : basePort + DNS_OFFSET)
                    .withCache(root.resolve("gateway-cache")));
        } catch (RuntimeException e) {
            control.stop();
            cluster.close();
            System.err.println("meridian local: the gateway could not start: " + e.getMessage());
            return 1;
        }
        // Stopped by the cluster before its regions, whichever shutdown hook gets there first.
        cluster.beforeStop(gateway::close);
        cluster.beforeStop(control::stop);
        var stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("Stopping regions…");
            cluster.close();
            System.out.println("Stopped. Data kept in " + root);
            stopped.countDown();
        }, "local-shutdown"));
        printWelcome(out, cluster, control.port(), gateway, root);
        stopped.await();
        return 0;
    }

    /** Each region's SQL endpoint: what psql and JDBC connect to; writes in a secondary go to the primary. */
    private static void printPostgres(PrintStream out, LocalCluster cluster) {
        var settings = cluster.config(cluster.regions().get(0)).sqlSettings();
        if (settings.isEmpty()) {
            return;
        }
        out.println();
        out.println("PostgreSQL endpoints (user " + settings.get().superuser() + ", password as the secret access key"
                + " below; standbys clone themselves in the background, then stream):");
        for (String region : cluster.regions()) {
            var sql = cluster.config(region).sqlSettings().orElseThrow();
            out.printf("  %-16s postgresql://127.0.0.1:%d/postgres  %s%n", region, sql.endpointPort(),
                    sql.primary().equals(region) ? "primary" : "reads on its hot standby, writes forwarded");
        }
    }

    private static void printWelcome(PrintStream out, LocalCluster cluster, int controlPort, Gateway gateway,
            Path root) {
        out.println();
        out.printf("  %-16s %-24s %-10s %s%n", "REGION", "ENDPOINT (DynamoDB, S3)", "PEER PORT", "LOG");
        for (String region : cluster.regions()) {
            out.printf("  %-16s %-24s %-10d %s%n", region, cluster.endpoint(region), cluster.config(region).peerPort(),
                    root.relativize(cluster.logFile(region).toAbsolutePath()));
        }
        String first = cluster.regions().get(0);
        out.println();
        out.println("Gateway (one endpoint for every region: nearest healthy region, automatic failover, edge cache):");
        out.println("  http://127.0.0.1:" + gateway.port() + "   status: http://127.0.0.1:" + gateway.port()
                + Gateway.ADMIN + "status");
        gateway.dnsPort().ifPresent(port -> out.println("  DNS: dig @127.0.0.1 -p " + port + " " + DNS_ZONE
                + " (nearest healthy region), SRV _http._tcp." + DNS_ZONE + " (with ports)"));
        printPostgres(out, cluster);
        out.println();
        out.println("Credentials (every region):");
        out.println("  AWS_ACCESS_KEY_ID=" + cluster.credentials().accessKeyId());
        out.println("  AWS_SECRET_ACCESS_KEY=" + cluster.credentials().secretAccessKey());
        out.println();
        out.println("Try:");
        out.println("  export AWS_ACCESS_KEY_ID=" + cluster.credentials().accessKeyId() + " AWS_SECRET_ACCESS_KEY="
                + cluster.credentials().secretAccessKey());
        String global = "http://127.0.0.1:" + gateway.port();
        out.println("  aws dynamodb list-tables --endpoint-url " + global + " --region " + first + "   # via the gateway");
        out.println("  aws s3 mb s3://assets --endpoint-url " + cluster.endpoint(first) + " --region " + first
                + "   # one region directly");
        String controlUrl = "http://127.0.0.1:" + controlPort;
        String control = controlUrl.equals(ControlServer.DEFAULT_URL) ? "" : " --control " + controlUrl;
        out.println("  ./meridian status" + control);
        if (cluster.regions().size() > 1) {
            out.println("  ./meridian chaos" + control + " cut " + first + " " + cluster.regions().get(1));
        }
        out.println();
        out.println("Control API: " + controlUrl
                + "  (GET /regions, GET /links, POST /links/{a}/{b}/cut|heal|blackhole|delay?ms=N)");
        out.println("Running. Ctrl-C stops every region; data stays in " + root + ".");
    }
}
