package dev.meridian.control;

import static org.awaitility.Awaitility.await;

import dev.meridian.testkit.DelayMatrix;
import dev.meridian.testkit.QuietPorts;
import dev.meridian.testkit.WanEmulator;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Control-plane members in one JVM, each directed pair talking through its own WAN link with realistic delays,
 * each with its own storage directory, so members can be stopped, cut off and restarted.
 */
final class ControlCluster implements AutoCloseable {
    static final Duration FAILOVER_TIMEOUT = Duration.ofSeconds(3);
    static final Duration HEARTBEAT_INTERVAL = Duration.ofMillis(500);

    private final Path root;
    private final List<String> members;
    private final String initialPrimary;
    private final Set<String> witnesses;
    private final WanEmulator wan = new WanEmulator(DelayMatrix.realistic());
    private final Map<String, Integer> ports = new HashMap<>();
    private final Map<String, AtomicReference<Heartbeat>> reports = new HashMap<>();
    private final Map<String, ControlPlane> planes = new ConcurrentHashMap<>();
    private final Map<String, Witness> runningWitnesses = new ConcurrentHashMap<>();

    private ControlCluster(Path root, List<String> members, String initialPrimary, Set<String> witnesses)
            throws IOException {
        this.root = root;
        this.members = List.copyOf(members);
        this.initialPrimary = initialPrimary;
        this.witnesses = Set.copyOf(witnesses);
        List<Integer> free = QuietPorts.pick(members.size());
        for (String member : members) {
            ports.put(member, free.get(ports.size()));
            reports.put(member, new AtomicReference<>(Heartbeat.NOT_ELIGIBLE));
        }
        for (String from : members) {
            for (String to : members) {
                if (!from.equals(to)) {
                    wan.open(WanEmulator.CONTROL, from, to,
                            new InetSocketAddress(InetAddress.getLoopbackAddress(), ports.get(to)), 0);
                }
            }
        }
    }

    /** Starts every member; each reports itself not eligible until {@link #report} says otherwise. */
    static ControlCluster start(Path root, List<String> members, String initialPrimary, Set<String> witnesses)
            throws IOException {
        var cluster = new ControlCluster(root, members, initialPrimary, witnesses);
        try {
            members.forEach(cluster::start);
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    static ControlCluster start(Path root, List<String> members, String initialPrimary) throws IOException {
        return start(root, members, initialPrimary, Set.of());
    }

    /** Starts (or restarts, from its storage) {@code member}. */
    void start(String member) {
        ControlSettings settings = settings(member);
        if (witnesses.contains(member)) {
            runningWitnesses.put(member, Witness.start(settings));
        } else {
            planes.put(member, ControlPlane.start(settings, reports.get(member)::get));
        }
    }

    void stop(String member) {
        AutoCloseable running = witnesses.contains(member) ? runningWitnesses.remove(member) : planes.remove(member);
        close(running);
    }

    ControlPlane member(String member) {
        ControlPlane plane = planes.get(member);
        if (plane == null) {
            throw new IllegalArgumentException(member + " is not a running region member; running: " + planes.keySet());
        }
        return plane;
    }

    Witness witness(String member) {
        return runningWitnesses.get(member);
    }

    /**
     * Makes {@code member} report this in its heartbeats from now on, and waits until every running region member
     * has applied such a heartbeat.
     */
    void report(String member, long walLsn, boolean eligible) {
        var heartbeat = new Heartbeat(walLsn, eligible);
        reports.get(member).set(heartbeat);
        await().atMost(Duration.ofSeconds(15)).until(() -> planes.values().stream()
                .allMatch(plane -> plane.members().get(member).lastHeartbeat().equals(Optional.of(heartbeat))));
    }

    WanEmulator wan() {
        return wan;
    }

    /** Cuts every control link to and from {@code member}, both directions. */
    void isolate(String member) {
        otherMembers(member).forEach(other -> {
            wan.link(WanEmulator.CONTROL, member, other).cut();
            wan.link(WanEmulator.CONTROL, other, member).cut();
        });
    }

    void heal(String member) {
        otherMembers(member).forEach(other -> {
            wan.link(WanEmulator.CONTROL, member, other).heal();
            wan.link(WanEmulator.CONTROL, other, member).heal();
        });
    }

    /** The running region member that leads the group, once one does. */
    ControlPlane awaitLeader() {
        return await().atMost(Duration.ofSeconds(15)).until(
                () -> planes.values().stream().filter(ControlPlane::isLeader).findFirst().orElse(null),
                leader -> leader != null);
    }

    /** Waits until every running region member has applied a recent heartbeat from every running member. */
    void awaitHeartbeatsEverywhere() {
        Set<String> running = new TreeSet<>(planes.keySet());
        running.addAll(runningWitnesses.keySet());
        await().atMost(Duration.ofSeconds(20)).until(() -> planes.values().stream().allMatch(plane -> running.stream()
                .allMatch(member -> plane.members().get(member).age()
                        .filter(age -> age.compareTo(HEARTBEAT_INTERVAL.multipliedBy(3)) <= 0)
                        .isPresent())));
    }

    List<String> otherMembers(String member) {
        return members.stream().filter(m -> !m.equals(member)).toList();
    }

    @Override
    public void close() {
        planes.values().forEach(ControlCluster::close);
        runningWitnesses.values().forEach(ControlCluster::close);
        wan.close();
    }

    private ControlSettings settings(String member) {
        var peerAddresses = new HashMap<String, String>();
        for (String other : otherMembers(member)) {
            peerAddresses.put(other, "127.0.0.1:" + wan.link(WanEmulator.CONTROL, member, other).address().getPort());
        }
        return new ControlSettings(member, root.resolve(member), peerAddresses, ports.get(member), members,
                initialPrimary, FAILOVER_TIMEOUT, HEARTBEAT_INTERVAL);
    }

    private static void close(AutoCloseable closeable) {
        try {
            if (closeable != null) {
                closeable.close();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
