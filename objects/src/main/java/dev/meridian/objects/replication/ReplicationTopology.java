package dev.meridian.objects.replication;

import dev.meridian.core.RegionConfig;
import dev.meridian.objects.BucketCatalog;
import dev.meridian.objects.StoredVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** Which regions of this deployment should hold a version's bytes, as its bucket says. */
final class ReplicationTopology {
    private final String region;
    private final List<String> peers;
    private final List<String> regions;
    private final BucketCatalog buckets;

    ReplicationTopology(RegionConfig config, BucketCatalog buckets) {
        this.region = config.region();
        this.peers = config.peers().stream().map(RegionConfig.Peer::name).toList();
        var all = new ArrayList<String>();
        all.add(region);
        all.addAll(peers);
        this.regions = List.copyOf(all);
        this.buckets = buckets;
    }

    String region() {
        return region;
    }

    List<String> peers() {
        return peers;
    }

    /**
     * The regions other than its origin that should copy {@code version}'s bytes; empty when its bucket is not known
     * here (yet: a bucket and its first objects may arrive in either order).
     */
    Optional<Set<String>> destinations(StoredVersion version) {
        String origin = version.object().origin();
        return buckets.find(version.bucket()).map(bucket -> regions.stream()
                .filter(bucket::replicatesTo)
                .filter(r -> !r.equals(origin))
                .collect(Collectors.toUnmodifiableSet()));
    }

    /** Whether this region should hold a copy of {@code version}'s bytes, written in another region. */
    boolean shouldHold(StoredVersion version) {
        return !version.object().deleteMarker() && !version.object().origin().equals(region)
                && destinations(version).map(d -> d.contains(region)).orElse(false);
    }
}
