package dev.meridian.objects.replication;

import dev.meridian.fabric.Fabric;
import dev.meridian.fabric.FabricStatus;
import dev.meridian.objects.InlineWrites;
import dev.meridian.objects.ObjectKeys;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Whether every destination has a version written here whose bytes ride in its record: the version reached a peer
 * once the peer acknowledged this region's change log up to the version's entry. The fabric does not say which
 * entry wrote a record, so this bounds it: a watcher called for a local write sees the log head at or past it,
 * and that head is kept per version slot until every peer has acknowledged it (then folded into one floor). A
 * slot whose commit is under way is pending whatever the log says; a version older than this process is bounded
 * by the head at start.
 */
final class InlineAcknowledgements implements InlineWrites {
    /** Slots tracked at most; past it (a peer long unreachable) new small objects go to the blob store instead. */
    static final int MAX_TRACKED = 100_000;

    private final Fabric fabric;
    private final Map<ObjectKeys.Slot, Bound> bounds = new ConcurrentHashMap<>();
    /** A log position every untracked version of this region lies at or before. */
    private volatile long floor;

    InlineAcknowledgements(Fabric fabric) {
        this.fabric = fabric;
        this.floor = fabric.logHead();
    }

    @Override
    public boolean accepting() {
        return bounds.size() < MAX_TRACKED;
    }

    @Override
    public void committing(ObjectKeys.Slot slot) {
        bounds.compute(slot, (s, bound) -> (bound == null ? new Bound() : bound).enter());
    }

    @Override
    public void settled(ObjectKeys.Slot slot) {
        bounds.computeIfPresent(slot, (s, bound) -> bound.leave());
    }

    /** The slot changed (called on the fabric's commit thread, after the head moved past any local write of it). */
    void changed(ObjectKeys.Slot slot) {
        bounds.computeIfPresent(slot, (s, bound) -> bound.atLeast(fabric.logHead()));
    }

    /** Whether each of {@code destinations} has acknowledged the version {@code slot} holds, written here. */
    boolean acknowledged(ObjectKeys.Slot slot, Collection<String> destinations) {
        Bound bound = bounds.get(slot);
        if (bound != null && bound.inFlight > 0) {
            return false;
        }
        long needed = Math.max(floor, bound == null ? 0 : bound.logPosition);
        Map<String, Long> acked = acknowledgedByPeer();
        return destinations.stream().allMatch(peer -> acked.getOrDefault(peer, 0L) >= needed);
    }

    /** Drops the bounds every peer has passed, raising the floor to cover them. */
    void prune() {
        long everywhere = acknowledgedByPeer().values().stream().mapToLong(Long::longValue).min()
                .orElse(Long.MAX_VALUE);
        bounds.forEach((slot, bound) -> bounds.computeIfPresent(slot, (s, current) -> {
            if (current.inFlight > 0 || current.logPosition > everywhere) {
                return current;
            }
            floor = Math.max(floor, current.logPosition);
            return null;
        }));
    }

    private Map<String, Long> acknowledgedByPeer() {
        Map<String, Long> acked = new HashMap<>();
        for (FabricStatus.PeerStatus peer : fabric.status().peers()) {
            acked.put(peer.name(), peer.ackedSeq());
        }
        return acked;
    }

    /** Commits of one slot under way here, and the log position its newest local write lies at or before. */
    private static final class Bound {
        int inFlight;
        long logPosition;

        Bound enter() {
            inFlight++;
            return this;
        }

        Bound leave() {
            inFlight--;
            return this;
        }

        Bound atLeast(long position) {
            logPosition = Math.max(logPosition, position);
            return this;
        }
    }
}
