package dev.meridian.fabric.antientropy;

import com.linecorp.armeria.client.grpc.GrpcClients;
import dev.meridian.core.HybridClock;
import dev.meridian.fabric.replication.ApplySink;
import dev.meridian.fabric.replication.EntryChecks;
import dev.meridian.fabric.store.RegionStore;
import dev.meridian.fabric.wire.AntiEntropyGrpc;
import dev.meridian.fabric.wire.DigestRequest;
import dev.meridian.fabric.wire.FetchReply;
import dev.meridian.fabric.wire.FetchRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds and repairs divergence with a peer: compares this region's Merkle tree with the peer's from the root down,
 * pulls every state in the leaves that differ, and merges them last-writer-wins like replicated entries (without
 * moving a watermark). Each region pulls from each peer, so between them every difference is mended both ways. This
 * is what catches what the logs cannot: a store restored from an old backup, a write lost to a disk, a bug.
 */
public final class AntiEntropy {
    private static final Logger log = LoggerFactory.getLogger(AntiEntropy.class);
    private static final Duration CALL_DEADLINE = Duration.ofSeconds(30);

    /** One comparison with a peer: how many leaves differed and how many states were pulled, or why it failed. */
    public record Round(String peer, int leavesDiffering, long entriesPulled, String error) {}

    private final TreeCache trees;
    private final ApplySink sink;
    private final HybridClock clock;
    private final Map<String, AntiEntropyGrpc.AntiEntropyBlockingStub> peers = new TreeMap<>();
    private final Map<String, PeerMeters> meters = new TreeMap<>();
    private final DigestService service;

    /** {@code peerAddresses}: peer name to the host:port of its peer port. */
    public AntiEntropy(RegionStore store, ApplySink sink, HybridClock clock, Map<String, String> peerAddresses,
            MeterRegistry registry) {
        this.trees = new TreeCache(store);
        this.sink = sink;
        this.clock = clock;
        this.service = new DigestService(store, trees);
        peerAddresses.forEach((peer, address) -> {
            peers.put(peer, GrpcClients.builder("http://" + address)
                    .responseTimeout(Duration.ZERO)
                    .maxResponseLength(0)
                    .build(AntiEntropyGrpc.AntiEntropyBlockingStub.class));
            meters.put(peer, new PeerMeters(peer, registry));
        });
    }

    /** What the peer port serves for peers comparing with this region. */
    public DigestService service() {
        return service;
    }

    /** Compares with every peer in turn and repairs from each; a peer that cannot be reached is reported, not fatal. */
    public synchronized List<Round> repairAll() {
        var rounds = new ArrayList<Round>();
        for (String peer : peers.keySet()) {
            rounds.add(repairWith(peer));
        }
        return rounds;
    }

    private Round repairWith(String peer) {
        AntiEntropyGrpc.AntiEntropyBlockingStub stub = peers.get(peer);
        PeerMeters peerMeters = meters.get(peer);
        try {
            MerkleTree mine = trees.fresh();
            List<Integer> branches = differing(stub, mine, 0, List.of(0)).isEmpty()
                    ? List.of() : differing(stub, mine, 1, IntStream.range(0, MerkleTree.BRANCHES).boxed().toList());
            List<Integer> leaves = branches.isEmpty() ? List.of() : differing(stub, mine, 2, branches.stream()
                    .flatMap(branch -> IntStream.range(branch * MerkleTree.LEAVES_PER_BRANCH,
                            (branch + 1) * MerkleTree.LEAVES_PER_BRANCH).boxed())
                    .toList());
            long pulled = leaves.isEmpty() ? 0 : pull(peer, stub, leaves);
            peerMeters.rounds.increment();
            peerMeters.pulled.increment(pulled);
            peerMeters.differing.set(leaves.size());
            if (!leaves.isEmpty()) {
                log.info("event=anti_entropy_repaired peer={} leaves_differing={} entries_pulled={}",
                        peer, leaves.size(), pulled);
            }
            return new Round(peer, leaves.size(), pulled, null);
        } catch (StatusRuntimeException e) {
            log.info("event=anti_entropy_skipped peer={} error=\"{}\"", peer, e.getStatus());
            return new Round(peer, 0, 0, e.getStatus().toString());
        } catch (CompletionException e) {
            log.warn("event=anti_entropy_failed peer={} error=\"{}\"", peer, e.getCause().getMessage());
            return new Round(peer, 0, 0, "applying what the peer sent failed: " + e.getCause().getMessage());
        }
    }

    /** The nodes of {@code level} among {@code indexes} whose hash differs from the peer's. */
    private static List<Integer> differing(AntiEntropyGrpc.AntiEntropyBlockingStub stub, MerkleTree mine, int level,
            List<Integer> indexes) {
        List<com.google.protobuf.ByteString> theirs = deadlined(stub)
                .digest(DigestRequest.newBuilder().setLevel(level).addAllIndex(indexes).build()).getHashList();
        var differing = new ArrayList<Integer>();
        for (int i = 0; i < indexes.size(); i++) {
            if (!Arrays.equals(mine.hash(level, indexes.get(i)), theirs.get(i).toByteArray())) {
                differing.add(indexes.get(i));
            }
        }
        return differing;
    }

    private long pull(String peer, AntiEntropyGrpc.AntiEntropyBlockingStub stub, List<Integer> leaves) {
        long pulled = 0;
        Iterator<FetchReply> replies = deadlined(stub).fetch(FetchRequest.newBuilder().addAllLeaf(leaves).build());
        while (replies.hasNext()) {
            FetchReply reply = replies.next();
            Optional<String> problem = EntryChecks.problem(reply.getEntriesList(), null, clock);
            if (problem.isPresent()) {
                throw new StatusRuntimeException(Status.INVALID_ARGUMENT.withDescription(peer + " sent " + problem.get()));
            }
            sink.apply(peer, reply.getEntriesList(), 0).join();
            pulled += reply.getEntriesCount();
        }
        return pulled;
    }

    private static AntiEntropyGrpc.AntiEntropyBlockingStub deadlined(AntiEntropyGrpc.AntiEntropyBlockingStub stub) {
        return stub.withDeadlineAfter(CALL_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Per peer: rounds run, states pulled, leaves that differed in the last round. */
    private static final class PeerMeters {
        final Counter rounds;
        final Counter pulled;
        final AtomicLong differing = new AtomicLong();

        PeerMeters(String peer, MeterRegistry registry) {
            rounds = Counter.builder("meridian.antientropy.rounds").tag("peer", peer)
                    .description("anti-entropy comparisons with the peer").register(registry);
            pulled = Counter.builder("meridian.antientropy.entries.pulled").tag("peer", peer)
                    .description("states pulled from the peer because their digests differed").register(registry);
            Gauge.builder("meridian.antientropy.leaves.differing", differing, AtomicLong::get).tag("peer", peer)
                    .description("key ranges (of 1024) that differed from the peer in the last comparison")
                    .register(registry);
        }
    }
}
