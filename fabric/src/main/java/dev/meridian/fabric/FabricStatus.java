package dev.meridian.fabric;

import java.util.List;
import java.util.Map;

/**
 * A region's replication state at one instant, as {@code meridian status} and the admin API show it.
 *
 * @param headSeq this region's newest change-log sequence
 * @param firstSeq the oldest sequence its log still keeps
 * @param applied per origin region, the highest contiguous sequence of its log applied here
 */
public record FabricStatus(String region, long headSeq, long firstSeq, List<PeerStatus> peers, Map<String, Long> applied) {
    /** How far one peer is behind this region's log. */
    public record PeerStatus(String name, String state, long ackedSeq, long lagEntries, double lagSeconds,
            boolean beyondRetention) {}
}
