package dev.meridian.fabric.replication;

import dev.meridian.core.HybridClock;
import dev.meridian.fabric.wire.Ack;
import dev.meridian.fabric.wire.Batch;
import dev.meridian.fabric.wire.Entry;
import dev.meridian.fabric.wire.HeadReply;
import dev.meridian.fabric.wire.HeadRequest;
import dev.meridian.fabric.wire.ReceiverMessage;
import dev.meridian.fabric.wire.ReplicationGrpc;
import dev.meridian.fabric.wire.Resume;
import dev.meridian.fabric.wire.SenderMessage;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The peer port's replication service: accepts one stream per origin region, tells the sender where to resume
 * (this region's watermark for it), hands each batch to the committer and acknowledges it once durable.
 */
public final class ReplicationReceiver extends ReplicationGrpc.ReplicationImplBase {
    private static final Logger log = LoggerFactory.getLogger(ReplicationReceiver.class);

    private final String region;
    private final Set<String> peers;
    private final ApplySink sink;
    private final HybridClock clock;
    private final Map<String, InboundStream> current = new ConcurrentHashMap<>();

    public ReplicationReceiver(String region, Set<String> peers, ApplySink sink, HybridClock clock) {
        this.region = region;
        this.peers = Set.copyOf(peers);
        this.sink = sink;
        this.clock = clock;
    }

    @Override
    public StreamObserver<SenderMessage> stream(StreamObserver<ReceiverMessage> out) {
        return new InboundStream(out);
    }

    @Override
    public void head(HeadRequest request, StreamObserver<HeadReply> out) {
        out.onNext(HeadReply.newBuilder().setRegion(region).setHeadSeq(sink.head()).build());
        out.onCompleted();
    }

    /** One origin's stream. gRPC delivers its messages serially; replies come from the committer thread too. */
    private final class InboundStream implements StreamObserver<SenderMessage> {
        private final StreamObserver<ReceiverMessage> out;
        private String origin;
        private long expectedNext;
        private boolean closed;

        InboundStream(StreamObserver<ReceiverMessage> out) {
            this.out = out;
        }

        @Override
        public void onNext(SenderMessage message) {
            switch (message.getKindCase()) {
                case HELLO -> hello(message.getHello().getOrigin(), message.getHello().getTarget());
                case BATCH -> batch(message.getBatch());
                case SNAPSHOT_END -> {
                    String from = requireOrigin();
                    if (from != null) {
                        whenApplied(sink.apply(from, List.of(), message.getSnapshotEnd().getSeq()));
                    }
                }
                default -> fail(Status.INVALID_ARGUMENT.withDescription("unknown message"));
            }
        }

        private void hello(String from, String target) {
            if (!region.equals(target) || !peers.contains(from)) {
                fail(Status.FAILED_PRECONDITION.withDescription(
                        "this is region " + region + "; it does not take replication from " + from + " for " + target));
                return;
            }
            origin = from;
            InboundStream previous = current.put(from, this);
            if (previous != null && previous != this) {
                previous.fail(Status.ABORTED.withDescription("superseded by a newer stream from " + from));
            }
            long watermark = sink.watermark(from);
            expectedNext = watermark + 1;
            log.info("event=replication_stream_opened origin={} resume_after={}", from, watermark);
            send(ReceiverMessage.newBuilder().setResume(Resume.newBuilder().setAppliedSeq(watermark)).build());
        }

        private void batch(Batch batch) {
            String from = requireOrigin();
            if (from == null) {
                return;
            }
            List<Entry> entries = batch.getEntriesList();
            Optional<String> problem = EntryChecks.problem(entries, from, clock);
            if (problem.isPresent() || !clock.isPlausible(batch.getSentAt())) {
                fail(Status.INVALID_ARGUMENT.withDescription(problem.orElse("the batch was sent more than a day ahead")));
                return;
            }
            clock.observe(batch.getSentAt());
            if (entries.isEmpty()) {
                sendAck(sink.watermark(from));
                return;
            }
            long first = entries.get(0).getSeq();
            if (first != 0) { // snapshot entries carry no sequence
                if (first > expectedNext) {
                    fail(Status.OUT_OF_RANGE.withDescription("expected seq " + expectedNext + " but got " + first));
                    return;
                }
                expectedNext = entries.get(entries.size() - 1).getSeq() + 1;
            }
            for (Entry entry : entries) {
                clock.observe(entry.getTimestamp());
            }
            whenApplied(sink.apply(from, entries, 0));
        }

        private void whenApplied(java.util.concurrent.CompletableFuture<Long> applied) {
            applied.whenComplete((watermark, error) -> {
                if (error != null) {
                    fail(Status.ABORTED.withDescription("apply failed: " + error.getMessage()));
                } else {
                    sendAck(watermark);
                }
            });
        }

        private String requireOrigin() {
            if (origin == null) {
                fail(Status.FAILED_PRECONDITION.withDescription("a stream starts with hello"));
            }
            return origin;
        }

        private void sendAck(long watermark) {
            send(ReceiverMessage.newBuilder()
                    .setAck(Ack.newBuilder().setAppliedSeq(watermark).setReceiverClock(clock.now()))
                    .build());
        }

        private synchronized void send(ReceiverMessage message) {
            if (!closed) {
                try {
                    out.onNext(message);
                } catch (RuntimeException e) {
                    closed = true; // the stream is gone; the sender reconnects and resumes
                }
            }
        }

        private synchronized void fail(Status status) {
            if (!closed) {
                closed = true;
                if (origin != null) { // refused before its hello was accepted
                    current.remove(origin, this);
                }
                try {
                    out.onError(status.asRuntimeException());
                } catch (RuntimeException ignored) {
                    // already cancelled by the peer
                }
            }
        }

        @Override
        public void onError(Throwable t) {
            synchronized (this) {
                closed = true;
            }
            if (origin != null) {
                current.remove(origin, this);
                log.info("event=replication_stream_closed origin={} reason=\"{}\"", origin, t.getMessage());
            }
        }

        @Override
        public synchronized void onCompleted() {
            if (!closed) {
                closed = true;
                if (origin != null) {
                    current.remove(origin, this);
                }
                out.onCompleted();
            }
        }
    }
}
