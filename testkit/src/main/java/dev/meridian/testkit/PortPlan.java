package dev.meridian.testkit;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The ports of a {@link LocalCluster}. From a base port B, region i (1-based, at most 7) gets HTTP B+i, peer
 * port B+10+i, its PostgreSQL-protocol endpoint B+90+i (what SQL clients use), its PostgreSQL server B+100+i and
 * its control-plane member B+110+i, and the WAN link from region i to region j listens on B+10*(i+1)+j; B itself is
 * left for the caller (the {@code meridian local} control API). A deployment spans B..B+117, so another can start
 * at B+120. The SQL and control channels' links, which only regions use, always take free ports.
 * With B = 0 every port is a free one picked at start, below the kernel's ephemeral range ({@link QuietPorts}).
 */
final class PortPlan {
    static final int MAX_FIXED_REGIONS = 7;

    /** The ports a region listens on itself. */
    record RegionPorts(int http, int peer, int sqlEndpoint, int sqlServer, int control) {}

    private final Map<String, RegionPorts> regions = new HashMap<>();
    private final Map<String, Integer> links = new HashMap<>();

    private PortPlan() {}

    static PortPlan of(int basePort, List<String> names) {
        if (basePort != 0 && names.size() > MAX_FIXED_REGIONS) {
            throw new IllegalArgumentException(names.size() + " regions do not fit the fixed port layout (at most "
                    + MAX_FIXED_REGIONS + "); use base port 0 to pick free ports");
        }
        if (basePort != 0 && (basePort < 1 || basePort + 119 > 65535)) {
            throw new IllegalArgumentException("base port " + basePort + " must be between 1 and 65416 (or 0)");
        }
        var plan = new PortPlan();
        List<Integer> free = basePort == 0 ? QuietPorts.pick(names.size() * 5) : List.of();
        for (int i = 0; i < names.size(); i++) {
            plan.regions.put(names.get(i), basePort == 0
                    ? new RegionPorts(free.get(5 * i), free.get(5 * i + 1), free.get(5 * i + 2), free.get(5 * i + 3),
                            free.get(5 * i + 4))
                    : new RegionPorts(basePort + i + 1, basePort + 10 + i + 1, basePort + 90 + i + 1,
                            basePort + 100 + i + 1, basePort + 110 + i + 1));
            for (int j = 0; j < names.size(); j++) {
                if (i != j) {
                    plan.links.put(linkKey(names.get(i), names.get(j)),
                            basePort == 0 ? 0 : basePort + 10 * (i + 2) + (j + 1));
                }
            }
        }
        return plan;
    }

    RegionPorts region(String name) {
        return regions.get(name);
    }

    /** The port the link from {@code from} to {@code to} listens on; 0 lets the link pick one. */
    int link(String from, String to) {
        return links.get(linkKey(from, to));
    }

    /** Fails, naming the port and its use, when a region port is already taken by another process. */
    void checkFree(boolean sql) {
        regions.forEach((name, ports) -> {
            checkFree(ports.http(), name + " HTTP");
            checkFree(ports.peer(), name + " peer");
            if (sql) {
                checkFree(ports.sqlEndpoint(), name + " SQL endpoint");
                checkFree(ports.sqlServer(), name + " PostgreSQL");
                checkFree(ports.control(), name + " control plane");
            }
        });
    }

    private static void checkFree(int port, String use) {
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(port));
        } catch (IOException e) {
            throw new RegionStartException("port " + port + " (" + use + ") is already in use: stop whatever holds it"
                    + " (another `meridian local`?) or choose another base port");
        }
    }

    private static String linkKey(String from, String to) {
        return from + "->" + to;
    }
}
