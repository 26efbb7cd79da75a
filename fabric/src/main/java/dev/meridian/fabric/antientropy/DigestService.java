package dev.meridian.fabric.antientropy;

import com.google.protobuf.ByteString;
import dev.meridian.fabric.replication.SnapshotEntries;
import dev.meridian.fabric.store.RegionStore;
import dev.meridian.fabric.store.StateIterator;
import dev.meridian.fabric.wire.AntiEntropyGrpc;
import dev.meridian.fabric.wire.DigestReply;
import dev.meridian.fabric.wire.DigestRequest;
import dev.meridian.fabric.wire.Entry;
import dev.meridian.fabric.wire.FetchReply;
import dev.meridian.fabric.wire.FetchRequest;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.HashSet;
import java.util.Set;

/** The peer-port side of anti-entropy: this region's digests, and its states in the leaves a peer asks for. */
public final class DigestService extends AntiEntropyGrpc.AntiEntropyImplBase {
    /** Entries per reply, bounded in bytes too, like replication batches. */
    private static final long MAX_REPLY_BYTES = 1 << 20;

    private final RegionStore store;
    private final TreeCache trees;

    DigestService(RegionStore store, TreeCache trees) {
        this.store = store;
        this.trees = trees;
    }

    @Override
    public void digest(DigestRequest request, StreamObserver<DigestReply> out) {
        int size = switch (request.getLevel()) {
            case 0 -> 1;
            case 1 -> MerkleTree.BRANCHES;
            case 2 -> MerkleTree.LEAVES;
            default -> -1;
        };
        if (size < 0 || request.getIndexList().stream().anyMatch(index -> index < 0 || index >= size)) {
            out.onError(Status.INVALID_ARGUMENT.withDescription("no such node").asRuntimeException());
            return;
        }
        // A comparison starts at the root: build the tree then, and answer its branches and leaves from the same one.
        MerkleTree tree = request.getLevel() == 0 ? trees.fresh() : trees.current();
        DigestReply.Builder reply = DigestReply.newBuilder();
        request.getIndexList().forEach(index -> reply.addHash(ByteString.copyFrom(tree.hash(request.getLevel(), index))));
        out.onNext(reply.build());
        out.onCompleted();
    }

    @Override
    public void fetch(FetchRequest request, StreamObserver<FetchReply> out) {
        Set<Integer> leaves = new HashSet<>(request.getLeafList());
        if (leaves.stream().anyMatch(leaf -> leaf < 0 || leaf >= MerkleTree.LEAVES)) {
            out.onError(Status.INVALID_ARGUMENT.withDescription("no such leaf").asRuntimeException());
            return;
        }
        FetchReply.Builder reply = FetchReply.newBuilder();
        long bytes = 0;
        try (StateIterator states = store.iterate(null, null, false)) {
            while (states.hasNext()) {
                StateIterator.Entry state = states.next();
                if (!leaves.contains(MerkleTree.leafOf(state.stateKey()))) {
                    continue;
                }
                Entry entry = SnapshotEntries.of(state);
                reply.addEntries(entry);
                bytes += entry.getSerializedSize();
                if (bytes >= MAX_REPLY_BYTES) {
                    out.onNext(reply.build());
                    reply.clear();
                    bytes = 0;
                }
            }
        }
        if (reply.getEntriesCount() > 0) {
            out.onNext(reply.build());
        }
        out.onCompleted();
    }
}
