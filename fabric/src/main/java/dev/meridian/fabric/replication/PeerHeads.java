package dev.meridian.fabric.replication;

import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.grpc.GrpcClients;
import dev.meridian.fabric.wire.HeadReply;
import dev.meridian.fabric.wire.HeadRequest;
import dev.meridian.fabric.wire.ReplicationGrpc;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Asks a peer for its change-log head over its peer port (through the same link as replication). */
public final class PeerHeads {
    private static final Duration PING_INTERVAL = Duration.ofSeconds(10);

    private final String region;
    private final Map<String, ReplicationGrpc.ReplicationStub> stubs = new HashMap<>();

    /** {@code peerAddresses}: peer name to the host:port of its peer port. */
    public PeerHeads(String region, Map<String, String> peerAddresses) {
        this.region = region;
        // Kept open however long GLOBAL reads pause (Armeria closes idle connections after 10 s, and the next read
        // would pay a WAN handshake first); pings find a connection a cut or a crash left dead.
        ClientFactory connections = ClientFactory.builder()
                .idleTimeout(Duration.ZERO)
                .pingInterval(PING_INTERVAL)
                .build();
        peerAddresses.forEach((peer, address) -> stubs.put(peer, GrpcClients.builder("http://" + address)
                .factory(connections)
                .responseTimeout(Duration.ZERO) // each call sets its own deadline
                .build(ReplicationGrpc.ReplicationStub.class)));
    }

    /** The peer's head, or empty when it does not answer within {@code timeout}. Never fails. */
    public CompletableFuture<Optional<Long>> head(String peer, Duration timeout) {
        var answer = new CompletableFuture<Optional<Long>>();
        stubs.get(peer).withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS).head(HeadRequest.newBuilder().setOrigin(region).build(), new StreamObserver<>() {
            @Override
            public void onNext(HeadReply reply) {
                answer.complete(peer.equals(reply.getRegion()) ? Optional.of(reply.getHeadSeq()) : Optional.empty());
            }

            @Override
            public void onError(Throwable t) {
                answer.complete(Optional.empty());
            }

            @Override
            public void onCompleted() {
                answer.complete(Optional.empty());
            }
        });
        return answer;
    }
}
