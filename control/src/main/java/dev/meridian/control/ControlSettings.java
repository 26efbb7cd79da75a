package dev.meridian.control;

import dev.meridian.core.HostPort;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * One member of the control plane: who it is, where it keeps its log, and how it reaches the others.
 *
 * @param member this member's id (a region name, or a witness's)
 * @param storageDir where this member keeps its Ratis log and snapshots; it survives restarts
 * @param peerAddresses {@code host:port} this member dials for every other member; under the WAN emulator each
 *     member has its own address for each peer (its own link), so these are never shared between members
 * @param port the port this member listens on
 * @param members every member id, witnesses included; kept sorted, so every member lists them in the same order
 * @param initialPrimary the SQL primary before any change was agreed; null in a deployment without the SQL layer,
 *     whose control plane agrees only strong tables' writes
 * @param failoverTimeout how long the primary may stay silent before another member replaces it; the primary's
 *     write lease lasts half of it
 * @param heartbeatInterval how often each member reports itself
 */
public record ControlSettings(
        String member,
        Path storageDir,
        Map<String, String> peerAddresses,
        int port,
        List<String> members,
        String initialPrimary,
        Duration failoverTimeout,
        Duration heartbeatInterval) {

    public static final Duration DEFAULT_FAILOVER_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(1);

    public ControlSettings {
        Objects.requireNonNull(member, "member");
        Objects.requireNonNull(storageDir, "storageDir");
        peerAddresses = Map.copyOf(peerAddresses);
        members = List.copyOf(new TreeSet<>(members));
        if (!members.contains(member) || (initialPrimary != null && !members.contains(initialPrimary))) {
            throw new IllegalArgumentException("members " + members + " must include this member '" + member
                    + "' and the initial primary '" + initialPrimary + "'");
        }
        Set<String> others = new TreeSet<>(members);
        others.remove(member);
        if (!peerAddresses.keySet().equals(others)) {
            throw new IllegalArgumentException("peerAddresses must name exactly the other members " + others
                    + ", got " + new TreeSet<>(peerAddresses.keySet()));
        }
        peerAddresses.forEach((peer, address) -> HostPort.parse("peerAddresses." + peer, address));
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1-65535, got " + port);
        }
        if (heartbeatInterval.isNegative() || heartbeatInterval.isZero()) {
            throw new IllegalArgumentException("heartbeatInterval must be positive, got " + heartbeatInterval);
        }
        // The write lease (half the timeout) must outlast a lost heartbeat or two, or a healthy primary flaps.
        if (failoverTimeout.compareTo(heartbeatInterval.multipliedBy(4)) < 0) {
            throw new IllegalArgumentException("failoverTimeout " + failoverTimeout
                    + " must be at least 4 heartbeat intervals (" + heartbeatInterval.multipliedBy(4) + ")");
        }
    }

    /** A member with the default failover timeout (10 s) and heartbeat interval (1 s). */
    public ControlSettings(String member, Path storageDir, Map<String, String> peerAddresses, int port,
            List<String> members, String initialPrimary) {
        this(member, storageDir, peerAddresses, port, members, initialPrimary, DEFAULT_FAILOVER_TIMEOUT,
                DEFAULT_HEARTBEAT_INTERVAL);
    }

    /** Whether the deployment has the SQL layer, whose primary this control plane chooses. */
    public boolean hasSql() {
        return initialPrimary != null;
    }

    /** How long the SQL primary may take writes after sending a heartbeat the group then agreed on. */
    public Duration leaseDuration() {
        return failoverTimeout.dividedBy(2);
    }
}
