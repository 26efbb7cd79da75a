package dev.meridian.gateway;

import java.util.List;

/** Which regions may take traffic now, as the gateway's health checks and latency probes see them. */
public interface RegionDirectory {
    /** Every configured region, in configuration order. */
    List<RegionTarget> all();

    /** The regions that are healthy (and not drained), lowest measured latency first; empty when none is. */
    List<RegionTarget> ranked();
}
