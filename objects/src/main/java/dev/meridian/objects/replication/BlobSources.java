package dev.meridian.objects.replication;

import dev.meridian.objects.ObjectVersion;
import dev.meridian.objects.StoredVersion;
import dev.meridian.objects.s3.ByteRange;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Where a blob's bytes can be fetched from, in order: the region that wrote them, the regions the copy ledger says
 * hold a copy, then any other peer relaying them (how a region reads through a third one when its direct link to
 * the holders is cut).
 */
final class BlobSources {
    private final ReplicationTopology topology;
    private final CopyLedger ledger;
    private final PeerBlobClient client;

    BlobSources(ReplicationTopology topology, CopyLedger ledger, PeerBlobClient client) {
        this.topology = topology;
        this.ledger = ledger;
        this.client = client;
    }

    /** The bytes of {@code version} (the range, or all of them), from the first region that serves them. */
    CompletableFuture<FetchedBlob> open(StoredVersion version, Optional<ByteRange> range) {
        ObjectVersion object = version.object();
        var request = new BlobRequest(object.blobId(), object.size(), range, object.origin());
        var sources = new ArrayList<PeerBlobClient.Source>();
        holders(request, topology.region()).forEach(r -> sources.add(new PeerBlobClient.Source(r, false)));
        topology.peers().stream().filter(peer -> !peer.equals(object.origin()))
                .forEach(peer -> sources.add(new PeerBlobClient.Source(peer, true)));
        return client.first(sources, request);
    }

    /** For a peer that asked this region to relay: the bytes from a holder other than that peer. */
    CompletableFuture<FetchedBlob> relay(BlobRequest request, String requester) {
        return client.first(holders(request, requester).stream().map(r -> new PeerBlobClient.Source(r, false)).toList(),
                request);
    }

    private List<String> holders(BlobRequest request, String excluded) {
        var holders = new LinkedHashSet<String>();
        holders.add(request.origin());
        ledger.records(request.blobId()).forEach((region, record) -> {
            if (record.completed()) {
                holders.add(region);
            }
        });
        holders.remove(topology.region());
        holders.remove(excluded);
        return List.copyOf(holders);
    }
}
