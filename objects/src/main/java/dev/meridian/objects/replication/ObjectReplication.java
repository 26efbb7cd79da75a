package dev.meridian.objects.replication;

import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.stream.StreamMessage;
import com.linecorp.armeria.server.HttpService;
import dev.meridian.core.RegionConfig;
import dev.meridian.fabric.Fabric;
import dev.meridian.fabric.ReplicationDelays;
import dev.meridian.objects.ObjectKeys;
import dev.meridian.objects.ObjectStore;
import dev.meridian.objects.ReplicationStatus;
import dev.meridian.objects.StoredVersion;
import dev.meridian.objects.s3.ByteRange;
import dev.meridian.objects.s3.S3Error;
import dev.meridian.objects.s3.S3Exception;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cross-region replication of object bytes for one region. Metadata reaches every region at once through the fabric,
 * and so do the bytes of small objects, which ride in their record; this copies the other bytes after it: workers
 * pull each version this region should hold from a region that has it, verify and commit it, and record it in the
 * copy ledger, from which every region derives
 * {@code x-amz-replication-status}. Until a copy lands, reads fall back to a region that has the bytes. Bytes a
 * version slot no longer references are collected after a grace period.
 *
 * <p>Threads: one replication thread ({@code objects-replication-<region>}) reacts to changes and owns the
 * bookkeeping; {@code workers} copy threads do the transfers.
 */
public final class ObjectReplication implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ObjectReplication.class);

    /** Where the peer blob service answers on the peer port: {@code GET <prefix><blobId>}. */
    public static final String PEER_PATH_PREFIX = "/_meridian/objects/blob/";
    /** The peer blob service's route, as {@code Fabric.open}'s peer services map takes it. */
    public static final String PEER_ROUTE = "prefix:" + PEER_PATH_PREFIX;

    private final String region;
    private final Fabric fabric;
    private final ReplicationTopology topology;
    private final CopyLedger ledger;
    private final PeerBlobClient client;
    private final BlobSources sources;
    private final ScheduledExecutorService replicationThread;
    private final CopyQueue queue;
    private final ReplicationDelays delays = new ReplicationDelays();
    private final OutgoingBacklog backlog;
    private final VersionChanges changes;
    private final CopyWorkers workers;
    private final PeerBlobService peerService;
    private final InlineAcknowledgements inline;

    public ObjectReplication(RegionConfig config, Fabric fabric, ObjectStore store, MeterRegistry meters, Clock clock,
            ReplicationSettings settings) {
        this.region = config.region();
        this.fabric = fabric;
        this.topology = new ReplicationTopology(config, store.buckets());
        this.ledger = new CopyLedger(fabric);
        this.client = new PeerBlobClient(config);
        this.sources = new BlobSources(topology, ledger, client);
        this.replicationThread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "objects-replication-" + region);
            t.setDaemon(true);
            return t;
        });
        this.queue = new CopyQueue(replicationThread);
        var copier = new BlobCopier(store.objects(), store.blobs(), topology, sources, ledger,
                new BandwidthLimit(settings.bandwidthBytesPerSecond()), delays, clock);
        this.backlog = new OutgoingBacklog(region, topology, ledger, meters);
        var collector = new BlobCollector(store.objects(), store.blobs(), ledger, replicationThread, settings.gcGrace(),
                clock);
        this.inline = new InlineAcknowledgements(fabric);
        store.watchInlineWrites(inline);
        this.changes = new VersionChanges(region, store.objects(), store.blobs(), topology, ledger, queue, copier,
                backlog, collector, inline, delays, clock, replicationThread);
        this.workers = new CopyWorkers(region, queue, copier, ledger, settings, changes::slotChanged);
        this.peerService = new PeerBlobService(store.blobs(), sources);
    }

    /** Follows changes, queues every copy this region still owes (resuming after any stop), starts the workers. */
    public void start() {
        changes.start(fabric);
        workers.start();
        replicationThread.scheduleWithFixedDelay(() -> {
            try {
                inline.prune();
            } catch (RuntimeException e) {
                log.warn("event=object_inline_prune_failed region={} error=\"{}\"", region, e.getMessage(), e);
            }
        }, 1, 1, TimeUnit.SECONDS);
        log.info("event=object_replication_started region={}", region);
    }

    /**
     * The {@code x-amz-replication-status} of {@code version} here: REPLICA where it was copied to; where it was
     * written, NONE when its bucket replicates nowhere else, FAILED when a destination gave up, COMPLETED when every
     * destination holds the bytes (for bytes riding in the record: has acknowledged the record), PENDING until then.
     */
    public ReplicationStatus status(StoredVersion version) {
        if (version.object().deleteMarker()) {
            return ReplicationStatus.NONE;
        }
        if (!version.object().origin().equals(region)) {
            return ReplicationStatus.REPLICA;
        }
        Set<String> destinations = topology.destinations(version).orElse(Set.of());
        if (destinations.isEmpty()) {
            return ReplicationStatus.NONE;
        }
        if (version.object().hasInlineBytes()) {
            var slot = new ObjectKeys.Slot(version.bucket(), version.key(), version.object().versionId());
            return inline.acknowledged(slot, destinations) ? ReplicationStatus.COMPLETED : ReplicationStatus.PENDING;
        }
        Map<String, CopyRecord> records = ledger.records(version.object().blobId());
        boolean pending = false;
        for (String destination : destinations) {
            CopyRecord record = records.get(destination);
            if (record == null) {
                pending = true;
            } else if (!record.completed()) {
                return ReplicationStatus.FAILED;
            }
        }
        return pending ? ReplicationStatus.PENDING : ReplicationStatus.COMPLETED;
    }

    /**
     * Bytes {@code offset .. offset+length-1} of a version whose bytes this region does not hold (yet), streamed from
     * its origin, another region holding a copy, or relayed through a peer; the caller keeps the range within the
     * object and must consume or abort the stream. Also moves this region's copy of the version to the front of the
     * queue. Fails with ServiceUnavailable when no region can serve the bytes.
     */
    public CompletableFuture<StreamMessage<HttpData>> readRemote(StoredVersion version, long offset, long length) {
        if (topology.shouldHold(version)) {
            queue.bump(new ObjectKeys.Slot(version.bucket(), version.key(), version.object().versionId()));
        }
        if (length == 0) {
            return CompletableFuture.completedFuture(StreamMessage.of());
        }
        return sources.open(version, Optional.of(new ByteRange(offset, offset + length - 1)))
                .handle((fetched, error) -> {
                    if (error != null) {
                        log.debug("event=object_read_fallback_failed region={} bucket={} key=\"{}\" blob={} error=\"{}\"",
                                region, version.bucket(), version.key(), version.object().blobId(), error.getMessage());
                        throw new CompletionException(new S3Exception(S3Error.SERVICE_UNAVAILABLE, "The bytes of this"
                                + " version have not reached " + region + " yet and no region holding them is"
                                + " reachable; retry later."));
                    }
                    return fetched.body();
                });
    }

    /** The service other regions fetch this region's blobs from; mount it at {@link #PEER_ROUTE} on the peer port. */
    public HttpService peerService() {
        return peerService;
    }

    /** Exact delays from commit in the origin to the bytes landing here, per origin (microseconds). */
    public ReplicationDelays delays() {
        return delays;
    }

    /** What this region's writes still owe each destination, per bucket, with recent latency percentiles. */
    public List<BacklogEntry> backlog() {
        return backlog.entries();
    }

    /** Stops the workers (copies in flight start over at the next start) and the replication thread. */
    @Override
    public void close() {
        replicationThread.shutdownNow();
        workers.stop();
        // Aborts the transfers a stopping worker may be blocked reading.
        client.close();
        workers.close();
        log.info("event=object_replication_stopped region={} copies_owed={}", region, queue.size());
    }
}
