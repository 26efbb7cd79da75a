package dev.meridian.objects.replication;

import dev.meridian.objects.ObjectKeys;
import dev.meridian.objects.ObjectVersion;
import dev.meridian.objects.StoredVersion;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What this region's writes still owe each destination, per bucket, like S3 Replication metrics: operations and
 * bytes pending, and commit-to-landed latency. Only versions written here are tracked, and only until every
 * destination holds their bytes. Changed on the replication thread only; the meters are read from anywhere.
 */
final class OutgoingBacklog {
    private static final double[] PERCENTILES = {0.5, 0.99};

    private final String region;
    private final ReplicationTopology topology;
    private final CopyLedger ledger;
    private final MeterRegistry meters;
    private final Map<ObjectKeys.Slot, String> blobBySlot = new HashMap<>();
    private final Map<String, Outgoing> byBlob = new HashMap<>();
    private final Map<Lane, LaneMeters> lanes = new ConcurrentHashMap<>();

    OutgoingBacklog(String region, ReplicationTopology topology, CopyLedger ledger, MeterRegistry meters) {
        this.region = region;
        this.topology = topology;
        this.ledger = ledger;
        this.meters = meters;
    }

    /** Follows {@code slot}, which now holds {@code current}: a new version written here starts owing its bytes. */
    void track(ObjectKeys.Slot slot, Optional<StoredVersion> current) {
        Optional<StoredVersion> ours = current.filter(v -> v.object().origin().equals(region)
                && !v.object().deleteMarker() && !v.object().hasInlineBytes());
        String tracked = blobBySlot.get(slot);
        if (tracked != null && tracked.equals(ours.map(v -> v.object().blobId()).orElse(null))) {
            return;
        }
        if (tracked != null) {
            blobBySlot.remove(slot);
            Outgoing superseded = byBlob.remove(tracked);
            settle(superseded, Set.copyOf(superseded.awaiting));
        }
        ours.ifPresent(version -> owe(slot, version));
    }

    /** {@code destination} recorded {@code record} for {@code blobId}: if it owed those bytes, they are paid. */
    void landed(String blobId, String destination, CopyRecord record) {
        Outgoing outgoing = byBlob.get(blobId);
        if (outgoing == null || !outgoing.awaiting.contains(destination)) {
            return;
        }
        settle(outgoing, Set.of(destination));
        lane(outgoing.bucket, destination).latency
                .record(Duration.ofMillis(Math.max(0, record.landedMillis() - record.committedMillis())));
        if (outgoing.awaiting.isEmpty()) {
            byBlob.remove(blobId);
            blobBySlot.remove(outgoing.slot);
        }
    }

    /** Every bucket and destination this region has replicated to since it started, by bucket then destination. */
    List<BacklogEntry> entries() {
        return lanes.entrySet().stream()
                .sorted(Map.Entry.comparingByKey(Comparator.comparing(Lane::bucket).thenComparing(Lane::destination)))
                .map(e -> e.getValue().entry(e.getKey()))
                .toList();
    }

    private void owe(ObjectKeys.Slot slot, StoredVersion version) {
        ObjectVersion object = version.object();
        Set<String> awaiting = new LinkedHashSet<>(topology.destinations(version).orElse(Set.of()));
        ledger.records(object.blobId()).forEach((destination, record) -> {
            if (record.completed()) {
                awaiting.remove(destination);
            }
        });
        if (awaiting.isEmpty()) {
            return;
        }
        var outgoing = new Outgoing(slot, version.bucket(), object.size(), awaiting);
        blobBySlot.put(slot, object.blobId());
        byBlob.put(object.blobId(), outgoing);
        awaiting.forEach(destination -> {
            LaneMeters lane = lane(version.bucket(), destination);
            lane.operations.incrementAndGet();
            lane.bytes.addAndGet(object.size());
        });
    }

    /** The destinations in {@code paid} no longer wait for {@code outgoing}'s bytes (landed, or superseded). */
    private void settle(Outgoing outgoing, Set<String> paid) {
        for (String destination : paid) {
            if (outgoing.awaiting.remove(destination)) {
                LaneMeters lane = lane(outgoing.bucket, destination);
                lane.operations.decrementAndGet();
                lane.bytes.addAndGet(-outgoing.size);
            }
        }
    }

    private LaneMeters lane(String bucket, String destination) {
        return lanes.computeIfAbsent(new Lane(bucket, destination), this::register);
    }

    private LaneMeters register(Lane lane) {
        Tags tags = Tags.of("bucket", lane.bucket(), "destination", lane.destination());
        var meters = new LaneMeters(Timer.builder("meridian.objects.replication.latency")
                .description("commit of a version here to its bytes landing in the destination")
                .tags(tags).publishPercentiles(PERCENTILES).register(this.meters));
        Gauge.builder("meridian.objects.replication.pending.operations", meters.operations, AtomicLong::get)
                .description("versions written here whose bytes the destination does not hold yet")
                .tags(tags).register(this.meters);
        Gauge.builder("meridian.objects.replication.pending.bytes", meters.bytes, AtomicLong::get)
                .description("bytes of versions written here that the destination does not hold yet")
                .tags(tags).register(this.meters);
        return meters;
    }

    private record Lane(String bucket, String destination) {}

    private record Outgoing(ObjectKeys.Slot slot, String bucket, long size, Set<String> awaiting) {}

    private record LaneMeters(AtomicLong operations, AtomicLong bytes, Timer latency) {
        LaneMeters(Timer latency) {
            this(new AtomicLong(), new AtomicLong(), latency);
        }

        BacklogEntry entry(Lane lane) {
            double p50 = 0;
            double p99 = 0;
            for (ValueAtPercentile p : latency.takeSnapshot().percentileValues()) {
                if (p.percentile() == 0.5) {
                    p50 = p.value(TimeUnit.MILLISECONDS);
                } else if (p.percentile() == 0.99) {
                    p99 = p.value(TimeUnit.MILLISECONDS);
                }
            }
            return new BacklogEntry(lane.bucket(), lane.destination(), operations.get(), bytes.get(), p50, p99);
        }
    }
}
