package dev.meridian.testkit;

import dev.meridian.core.RegionConfig;
import dev.meridian.core.RegionConfigLoader;
import dev.meridian.core.SkewedClock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A whole multi-region deployment on this machine: one JVM per region, all inter-region traffic through a
 * {@link WanEmulator}.
 *
 * <p>Each region lives in {@code <dataRoot>/<region>/}: {@code region.yaml} (rewritten on every start),
 * {@code data/} (kept, so a second start resumes the same state), {@code region.log} (appended to) and, once
 * {@link #skewClock} has been called, {@code clock-skew-ms} (removed on every start). Region A
 * reaches region B's peer port through the link A->B. Ports follow the layout described on
 * {@link Builder#basePort(int)}.
 */
public final class LocalCluster implements AutoCloseable {
    public static final String DEFAULT_ACCESS_KEY_ID = "meridian";
    public static final String DEFAULT_SECRET_ACCESS_KEY = "meridian-local-secret";
    public static final List<String> DEFAULT_REGIONS = List.of("us-east-1", "eu-west-1", "ap-southeast-1");
    /** The member name of the witness {@link Builder#witness} names. */
    public static final String WITNESS = "witness";
    static final Duration STOP_GRACE = Duration.ofSeconds(15);
    private static final Logger log = LoggerFactory.getLogger(LocalCluster.class);

    private final Map<String, RegionConfig> configs;
    private final Map<String, RegionJvm> jvms;
    private final WanEmulator wan;
    private final Duration startTimeout;
    private final Path temporaryRoot;
    private final Thread shutdownHook = new Thread(this::close, "local-cluster-shutdown");
    private boolean closed;
    /** What {@link #close} stops before the regions; guarded by {@code this}. */
    private final List<Runnable> beforeStop = new ArrayList<>();

    private LocalCluster(
            Map<String, RegionConfig> configs,
            Map<String, RegionJvm> jvms,
            WanEmulator wan,
            Duration startTimeout,
            Path temporaryRoot) {
        this.configs = configs;
        this.jvms = jvms;
        this.wan = wan;
        this.startTimeout = startTimeout;
        this.temporaryRoot = temporaryRoot;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Region names in start order. */
    public List<String> regions() {
        return List.copyOf(configs.keySet());
    }

    /** The base URI of a region's HTTP port, e.g. {@code http://127.0.0.1:8101}. */
    public URI endpoint(String region) {
        return endpointOf(config(region));
    }

    /** The configuration the region was started with. */
    public RegionConfig config(String region) {
        RegionConfig config = configs.get(region);
        if (config == null) {
            throw new IllegalArgumentException("no region '" + region + "'; regions are " + configs.keySet());
        }
        return config;
    }

    /** Where the region's standard output and error go. */
    public Path logFile(String region) {
        return regionDir(config(region)).resolve("region.log");
    }

    public RegionConfig.AccessKey credentials() {
        return configs.values().iterator().next().accessKeys().get(0);
    }

    /** Where a witness reaches {@code region}'s control-plane member: directly, not through the WAN emulator. */
    public String controlAddress(String region) {
        return "127.0.0.1:" + config(region).controlSettings().orElseThrow().port();
    }

    public WanEmulator wan() {
        return wan;
    }

    public boolean isRunning(String region) {
        return jvm(region).isAlive();
    }

    /** Kills the region with SIGKILL, as a crash or power loss would. */
    public void kill9(String region) throws InterruptedException {
        jvm(region).kill();
    }

    /** Freezes the region's process (SIGSTOP): it holds its connections but answers nothing until resumed. */
    public void pause(String region) throws InterruptedException {
        jvm(region).signalPause(true);
    }

    /** Lets a paused region run again (SIGCONT). */
    public void resume(String region) throws InterruptedException {
        jvm(region).signalPause(false);
    }

    /**
     * Moves the region's wall clock {@code offset} ahead of this machine's (behind, if negative) within about 100 ms,
     * restarts included, until {@link Duration#ZERO} puts it back. Its hybrid clock never runs backwards, so once a
     * skew ahead is put back, its timestamps meet real time again only after the offset has passed.
     */
    public void skewClock(String region, Duration offset) {
        Path file = clockSkewFile(config(region));
        Path written = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            // Moved into place whole: the region never reads a half-written number.
            Files.writeString(written, Long.toString(offset.toMillis()));
            Files.move(written, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot skew the clock of " + region + " in " + file, e);
        }
        log.info("event=clock_skewed region={} offset_ms={}", region, offset.toMillis());
    }

    /** Stops the region with SIGTERM, waiting for it to exit (killing it after 15 s). */
    public void stop(String region) throws InterruptedException {
        RegionJvm jvm = jvm(region);
        jvm.requestStop();
        jvm.awaitExit(System.nanoTime() + STOP_GRACE.toNanos());
    }

    /** Stops the region if it runs, then starts it again on the same ports and data and waits until healthy. */
    public void restart(String region) throws InterruptedException {
        stop(region);
        RegionJvm jvm = jvm(region);
        jvm.start();
        jvm.awaitHealthy(System.nanoTime() + startTimeout.toNanos());
    }

    /**
     * Has {@link #close} run {@code step} before it stops any region, however the cluster closes (its own shutdown
     * hook included): what stands in front of the regions, such as a gateway, then stops before they do instead of
     * watching them die.
     */
    public synchronized void beforeStop(Runnable step) {
        beforeStop.add(step);
    }

    /**
     * Runs the {@link #beforeStop} steps, stops every region with SIGTERM (SIGKILL after 15 s), then the WAN links.
     * Safe to call more than once.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Runnable step : beforeStop) {
            try {
                step.run();
            } catch (RuntimeException e) {
                log.warn("event=before_stop_failed error=\"{}\"", e.getMessage(), e);
            }
        }
        jvms.values().forEach(RegionJvm::requestStop);
        long deadline = System.nanoTime() + STOP_GRACE.toNanos();
        try {
            for (RegionJvm jvm : jvms.values()) {
                jvm.awaitExit(deadline);
            }
        } catch (InterruptedException e) {
            jvms.values().forEach(jvm -> {
                try {
                    jvm.kill();
                } catch (InterruptedException again) {
                    // already interrupted; SIGKILL has been sent
                }
            });
            Thread.currentThread().interrupt();
        }
        wan.close();
        if (Thread.currentThread() != shutdownHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is exiting; the hook is running or about to and finds the cluster closed
            }
        }
        if (temporaryRoot != null) {
            deleteTree(temporaryRoot);
        }
        log.info("local cluster stopped regions={}", configs.keySet());
    }

    @Override
    public String toString() {
        return "LocalCluster" + configs.keySet();
    }

    private RegionJvm jvm(String region) {
        config(region);
        return jvms.get(region);
    }

    private void startAll() throws InterruptedException {
        // Hooked before the first launch: a JVM stopped mid-start must not leave region processes behind.
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        jvms.values().forEach(RegionJvm::start);
        long deadline = System.nanoTime() + startTimeout.toNanos();
        for (RegionJvm jvm : jvms.values()) {
            jvm.awaitHealthy(deadline);
        }
    }

    private static URI endpointOf(RegionConfig config) {
        return URI.create("http://127.0.0.1:" + config.httpPort());
    }

    private static Path regionDir(RegionConfig config) {
        return config.dataDir().getParent();
    }

    private static Path clockSkewFile(RegionConfig config) {
        return regionDir(config).resolve("clock-skew-ms");
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            log.warn("cannot delete temporary cluster data dir={} cause={}", root, e.toString());
        }
    }

    /** Describes a cluster; {@link #start()} launches it. */
    public static final class Builder {
        private List<String> regions = DEFAULT_REGIONS;
        private Path dataRoot;
        private int basePort;
        private DelayMatrix delays = DelayMatrix.realistic();
        private List<String> jvmArgs = List.of();
        private String classpath;
        private String mainClass = "dev.meridian.server.Main";
        private Duration startTimeout = Duration.ofSeconds(60);
        private RegionConfig.AccessKey accessKey =
                new RegionConfig.AccessKey(DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET_ACCESS_KEY);
        private RegionConfig.FabricSettings fabric = RegionConfig.FabricSettings.DEFAULTS;
        private RegionConfig.ConsistencySettings consistency = RegionConfig.ConsistencySettings.DEFAULTS;
        private String sqlPrimary;
        private boolean controlPlane;
        private Duration failoverTimeout = Duration.ofSeconds(10);
        private int witnessPort;

        private Builder() {}

        /** Region names; defaults to {@link #DEFAULT_REGIONS}. */
        public Builder regions(List<String> regions) {
            this.regions = List.copyOf(regions);
            return this;
        }

        public Builder regions(String... regions) {
            return regions(List.of(regions));
        }

        /** Where regions keep config, data and logs; by default a temporary folder deleted on {@link #close()}. */
        public Builder dataRoot(Path dataRoot) {
            this.dataRoot = dataRoot;
            return this;
        }

        /**
         * Fixes every port from {@code basePort} B: region i (1-based, at most 7) serves HTTP on B+i, its peer
         * port on B+10+i and, with {@link #sql}, its SQL endpoint on B+90+i, PostgreSQL server on B+100+i and
         * control-plane member on B+110+i; the WAN link from region i to region j listens on B+10*(i+1)+j; B itself
         * stays free for a control API. The layout spans B..B+117, so a second cluster can use B+120. The default, 0,
         * picks free ports instead.
         */
        public Builder basePort(int basePort) {
            this.basePort = basePort;
            return this;
        }

        /** One-way delays between regions; defaults to {@link DelayMatrix#realistic()}. */
        public Builder delays(DelayMatrix delays) {
            this.delays = delays;
            return this;
        }

        /**
         * Extra JVM options for every region, after the defaults {@code -Xmx512m -XX:+UseZGC} and the clock skew
         * file's {@code -Dmeridian.clockSkewFile} (so they can override them).
         */
        public Builder jvmArgs(List<String> jvmArgs) {
            this.jvmArgs = List.copyOf(jvmArgs);
            return this;
        }

        /** The region JVMs' class path; defaults to this JVM's own, unpacking Surefire's manifest-only jar. */
        public Builder classpath(String classpath) {
            this.classpath = classpath;
            return this;
        }

        /** How long every region together may take to answer {@code /health}; 60 s by default. */
        public Builder startTimeout(Duration startTimeout) {
            this.startTimeout = startTimeout;
            return this;
        }

        /** The one credential pair every region accepts; defaults to the dev pair printed by {@code meridian local}. */
        public Builder accessKey(String accessKeyId, String secretAccessKey) {
            this.accessKey = new RegionConfig.AccessKey(accessKeyId, secretAccessKey);
            return this;
        }

        /** How every region's SESSION and GLOBAL reads wait (default: {@link RegionConfig.ConsistencySettings#DEFAULTS}). */
        public Builder consistency(RegionConfig.ConsistencySettings consistency) {
            this.consistency = consistency;
            return this;
        }

        /** Replication tuning for every region, e.g. a small log retention to exercise re-sync. */
        public Builder fabric(RegionConfig.FabricSettings fabric) {
            this.fabric = fabric;
            return this;
        }

        /**
         * Runs PostgreSQL in every region: read-write in {@code primary}, a hot standby cloned from it and streaming
         * its WAL (through the WAN emulator's SQL channel) everywhere else. The superuser is the access key. With
         * three regions or more, every region also runs a member of the control plane (over the WAN emulator's
         * control channel), which fails the primary over after {@link #failoverTimeout}.
         */
        public Builder sql(String primary) {
            this.sqlPrimary = primary;
            return this;
        }

        /**
         * Runs the control plane in every region without the SQL layer (with it, {@link #sql} already does): three
         * regions, or two and a {@link #witness}. Strong tables need it.
         */
        public Builder controlPlane() {
            this.controlPlane = true;
            return this;
        }

        /**
         * Names a control-plane witness listening on {@code port} (127.0.0.1) in every region's config, so two regions
         * get the control plane too. The caller runs the witness ({@code meridian witness}), reaching each region's
         * member at {@link LocalCluster#controlAddress}; witness traffic does not pass the WAN emulator.
         */
        public Builder witness(int port) {
            this.witnessPort = port;
            return this;
        }

        /** How long the SQL primary may be unreachable before the majority replaces it; 10 s by default. */
        public Builder failoverTimeout(Duration failoverTimeout) {
            this.failoverTimeout = failoverTimeout;
            return this;
        }

        /** Tests of the launcher itself swap in a stand-in region main class. */
        Builder mainClass(String mainClass) {
            this.mainClass = mainClass;
            return this;
        }

        /**
         * Opens the WAN links, writes each region's config, launches every region and waits until all answer
         * {@code GET /health} with 200.
         *
         * @throws RegionStartException naming the region and quoting the end of its log when one does not come up
         */
        public LocalCluster start() throws InterruptedException {
            if (regions.isEmpty() || new LinkedHashSet<>(regions).size() != regions.size()) {
                throw new IllegalArgumentException("regions must be non-empty and distinct, got " + regions);
            }
            PortPlan ports = PortPlan.of(basePort, regions);
            if (sqlPrimary != null && !regions.contains(sqlPrimary)) {
                throw new IllegalArgumentException("the SQL primary " + sqlPrimary + " is not one of " + regions);
            }
            if (basePort != 0) {
                ports.checkFree(sqlPrimary != null);
            }
            Path root = dataRoot != null ? dataRoot : createTemporaryRoot();
            var wan = new WanEmulator(delays);
            LocalCluster cluster = null;
            boolean started = false;
            try {
                openLinks(wan, ports);
                Map<String, RegionConfig> configs = new LinkedHashMap<>();
                Map<String, RegionJvm> jvms = new LinkedHashMap<>();
                String cp = RegionClasspath.resolve(classpath != null ? classpath : System.getProperty("java.class.path"));
                for (String region : regions) {
                    RegionConfig config = writeConfig(root, region, ports, wan);
                    configs.put(region, config);
                    jvms.put(region, new RegionJvm(region, endpointOf(config), regionDir(config).resolve("region.log"),
                            command(cp, regionDir(config).resolve("region.yaml"), clockSkewFile(config))));
                }
                cluster = new LocalCluster(configs, jvms, wan, startTimeout, dataRoot == null ? root : null);
                cluster.startAll();
                started = true;
                log.info("local cluster started regions={} root={}", regions, root);
                return cluster;
            } catch (IOException e) {
                throw new RegionStartException("cannot prepare the local cluster in " + root + ": " + e, e);
            } finally {
                if (!started) {
                    if (cluster != null) {
                        cluster.close();
                    } else {
                        wan.close();
                    }
                }
            }
        }

        private void openLinks(WanEmulator wan, PortPlan ports) throws IOException {
            for (String from : regions) {
                for (String to : regions) {
                    if (!from.equals(to)) {
                        var target = new InetSocketAddress("127.0.0.1", ports.region(to).peer());
                        wan.open(from, to, target, ports.link(from, to));
                        if (sqlPrimary != null) {
                            var sqlTarget = new InetSocketAddress("127.0.0.1", ports.region(to).sqlServer());
                            wan.open(WanEmulator.SQL, from, to, sqlTarget, 0);
                        }
                        if (hasControlPlane()) {
                            var controlTarget = new InetSocketAddress("127.0.0.1", ports.region(to).control());
                            wan.open(WanEmulator.CONTROL, from, to, controlTarget, 0);
                        }
                    }
                }
            }
        }

        private RegionConfig writeConfig(Path root, String region, PortPlan ports, WanEmulator wan) throws IOException {
            Path dir = root.resolve(region).toAbsolutePath();
            Path dataDir = dir.resolve("data");
            Files.createDirectories(dataDir);
            List<RegionConfig.Peer> peers = new ArrayList<>();
            for (String peer : regions) {
                if (!peer.equals(region)) {
                    String sqlAddress = sqlPrimary == null ? null : linkAddress(wan, WanEmulator.SQL, region, peer);
                    String controlAddress = hasControlPlane()
                            ? linkAddress(wan, WanEmulator.CONTROL, region, peer) : null;
                    peers.add(new RegionConfig.Peer(peer, linkAddress(wan, WanEmulator.PEER, region, peer), sqlAddress,
                            controlAddress));
                }
            }
            PortPlan.RegionPorts own = ports.region(region);
            RegionConfig.SqlSettings sql = sqlPrimary == null
                    ? null
                    : new RegionConfig.SqlSettings(sqlPrimary, own.sqlServer(), accessKey.accessKeyId(),
                            accessKey.secretAccessKey()).withEndpointPort(own.sqlEndpoint());
            // Two regions alone have no majority once one is lost: the survivor would only fence itself. Without a
            // witness they keep a fixed primary.
            RegionConfig.Witness witness = witnessPort == 0 ? null
                    : new RegionConfig.Witness(WITNESS, "127.0.0.1:" + witnessPort);
            RegionConfig.Control control = hasControlPlane() && (regions.size() >= 3 || witness != null)
                    ? new RegionConfig.Control(own.control(), witness, failoverTimeout, null) : null;
            RegionConfig config = new RegionConfig(region, dataDir, own.http(), own.peer(), peers, List.of(accessKey),
                    fabric, sql, control, consistency).validate();
            Files.writeString(dir.resolve("region.yaml"), RegionConfigLoader.write(config));
            // A skew left by a run that stopped mid-fault must not follow into this one.
            Files.deleteIfExists(clockSkewFile(config));
            return config;
        }

        private boolean hasControlPlane() {
            return sqlPrimary != null || controlPlane;
        }

        private static String linkAddress(WanEmulator wan, String channel, String from, String to) {
            return "127.0.0.1:" + wan.link(channel, from, to).address().getPort();
        }

        private List<String> command(String cp, Path configFile, Path clockSkewFile) {
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.add("-Xmx512m");
            // G1's young pauses (10-20 ms every few seconds on two shared cores) were most of the replication
            // delay's tail; ZGC's pauses stay under a millisecond for the same CPU.
            command.add("-XX:+UseZGC");
            command.add("-D" + SkewedClock.FILE_PROPERTY + "=" + clockSkewFile);
            command.addAll(jvmArgs);
            command.addAll(List.of("-cp", cp, mainClass, "region", "--config", configFile.toString()));
            return command;
        }

        private static Path createTemporaryRoot() {
            try {
                return Files.createTempDirectory("meridian-local-");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create a temporary data root", e);
            }
        }
    }
}
