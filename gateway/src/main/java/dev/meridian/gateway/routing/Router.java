package dev.meridian.gateway.routing;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.linecorp.armeria.common.RequestHeaders;
import dev.meridian.gateway.RegionDirectory;
import dev.meridian.gateway.RegionTarget;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Orders the regions a request may go to, best first: pinned region, then the client's affinity region, then the
 * rest by latency (see {@link RoutingSettings}). The first is where the request goes; the next one is where an
 * idempotent request that could not connect is retried. A client keeps its affinity region through a failover,
 * so its traffic returns when that region recovers; meanwhile it stays in the one region it failed over to.
 */
public final class Router {
    private final RegionDirectory regions;
    private final RoutingSettings settings;
    private final Cache<String, Affinity> affinity;

    public Router(RegionDirectory regions, RoutingSettings settings) {
        this.regions = regions;
        this.settings = settings;
        settings.pinnedRegion().ifPresent(this::known);
        this.affinity = Caffeine.newBuilder()
                .expireAfterAccess(settings.affinityIdle())
                .maximumSize(settings.affinityClients())
                .build();
    }

    /** The regions to try, in order; empty when no region is healthy. */
    public List<RegionTarget> route(RequestHeaders headers, InetAddress client) throws UnknownRegionException {
        List<RegionTarget> healthy = regions.ranked();
        if (healthy.isEmpty()) {
            return List.of();
        }
        Optional<RegionTarget> pinned = pinned(headers);
        RegionTarget first;
        if (pinned.isPresent() && healthy.contains(pinned.get())) {
            first = pinned.get();
        } else {
            String key = ClientKey.of(headers, client);
            Affinity assigned = affinity.get(key, k -> new Affinity(healthy.get(0), healthy.get(0)));
            if (healthy.contains(assigned.home())) {
                first = assigned.home();
            } else if (healthy.contains(assigned.current())) {
                first = assigned.current();
            } else {
                first = healthy.get(0);
                affinity.put(key, new Affinity(assigned.home(), first));
            }
        }
        List<RegionTarget> order = new ArrayList<>(healthy.size());
        order.add(first);
        healthy.stream().filter(r -> !r.equals(first)).forEach(order::add);
        return order;
    }

    private Optional<RegionTarget> pinned(RequestHeaders headers) throws UnknownRegionException {
        String named = headers.get(settings.pinHeader());
        if (named != null && !named.isBlank()) {
            return Optional.of(known(named.trim()));
        }
        return settings.pinnedRegion().map(this::known);
    }

    private RegionTarget known(String name) {
        return regions.all().stream().filter(r -> r.name().equals(name)).findFirst()
                .orElseThrow(() -> new UnknownRegionException(name, regions.all()));
    }

    /** A client's first region, and where it is served while that one is out. */
    private record Affinity(RegionTarget home, RegionTarget current) {}

    /** A request or the configuration pinned a region the gateway does not know. */
    public static final class UnknownRegionException extends IllegalArgumentException {
        UnknownRegionException(String name, List<RegionTarget> known) {
            super("no region named '" + name + "' behind this gateway; known: "
                    + known.stream().map(RegionTarget::name).toList());
        }
    }
}
