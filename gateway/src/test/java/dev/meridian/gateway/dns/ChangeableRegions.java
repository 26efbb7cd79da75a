package dev.meridian.gateway.dns;

import dev.meridian.gateway.RegionDirectory;
import dev.meridian.gateway.RegionTarget;
import java.util.List;

/** A region directory whose ranking each test sets, standing in for the gateway's health checks and latency probes. */
final class ChangeableRegions implements RegionDirectory {
    private final List<RegionTarget> all;
    private volatile List<RegionTarget> ranked;

    /** Every region starts healthy, ranked in configuration order. */
    ChangeableRegions(List<RegionTarget> all) {
        this.all = List.copyOf(all);
        this.ranked = this.all;
    }

    /** From now on only these regions are healthy, the first the nearest; none means none is healthy. */
    void rank(RegionTarget... healthyNearestFirst) {
        ranked = List.of(healthyNearestFirst);
    }

    @Override
    public List<RegionTarget> all() {
        return all;
    }

    @Override
    public List<RegionTarget> ranked() {
        return ranked;
    }
}
