package dev.meridian.fabric.replication;

import dev.meridian.core.HybridClock;
import dev.meridian.core.RegionConfig.FabricSettings;
import dev.meridian.fabric.wire.Batch;
import dev.meridian.fabric.wire.Entry;
import dev.meridian.fabric.wire.Hello;
import dev.meridian.fabric.wire.ReceiverMessage;
import dev.meridian.fabric.wire.ReplicationGrpc;
import dev.meridian.fabric.wire.SenderMessage;
import dev.meridian.fabric.wire.SnapshotEnd;
import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.grpc.GrpcClients;
import com.linecorp.armeria.common.CommonPools;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams this region's change log to one peer. Its thread ({@code fabric-sender-<peer>}) connects, learns the
 * peer's watermark, ships batches from there (or a snapshot when the log no longer reaches back that far), keeps
 * a bounded window of unacknowledged batches, sends heartbeats when idle, and on any failure or silence
 * reconnects with exponential backoff and resumes exactly after the peer's durable watermark.
 */
public final class PeerSender implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PeerSender.class);
    /**
     * Unacknowledged messages allowed on the stream. The linger below sends at most ~200 batches a second, so 128
     * keep a link busy for round trips up to ~600 ms; {@link #WINDOW_BYTES} bounds the memory they hold.
     */
    private static final int WINDOW_BATCHES = 128;
    private static final long WINDOW_BYTES = 32L << 20;
    /**
     * The most entry bytes one batch carries (a single larger entry still goes alone). Each batch must be received,
     * applied, fsync'd and acknowledged well within the liveness timeout, even of entries carrying objects' bytes:
     * 512 such entries in one message took longer than that on a loaded machine, and the stream never got past
     * them.
     */
    static final long MAX_BATCH_BYTES = 1L << 20;
    /**
     * While a batch is already in flight, wait this long for more entries before sending the next one: under load
     * it turns one message per commit into one per few milliseconds, which is most of the sender's and receiver's
     * CPU, for at most this much extra delay. An idle stream still sends the first entry at once.
     */
    private static final long LINGER_MILLIS = 5;
    private static final Duration RESUME_TIMEOUT = Duration.ofSeconds(10);

    /** Where the sender's connection to its peer stands. */
    public enum State { CONNECTING, STREAMING, BACKOFF, STOPPED }

    private final String region;
    private final String peer;
    private final String address;
    private final LocalLog localLog;
    private final HybridClock clock;
    private final Clock wallClock;
    private final FabricSettings settings;
    private final Duration livenessTimeout;
    private final Thread thread;
    private volatile State state = State.CONNECTING;
    private volatile long acked;
    private volatile boolean beyondRetention;
    private volatile boolean running = true;
    private int consecutiveFailures;

    public PeerSender(String region, String peer, String address, long ackedAtStart, LocalLog localLog,
            HybridClock clock, Clock wallClock, FabricSettings settings) {
        this.region = region;
        this.peer = peer;
        this.address = address;
        this.acked = ackedAtStart;
        this.localLog = localLog;
        this.clock = clock;
        this.wallClock = wallClock;
        this.settings = settings;
        this.livenessTimeout = settings.heartbeatInterval().multipliedBy(8).compareTo(Duration.ofSeconds(3)) > 0
                ? settings.heartbeatInterval().multipliedBy(8)
                : Duration.ofSeconds(3);
        this.thread = new Thread(this::run, "fabric-sender-" + peer);
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    public String peer() {
        return peer;
    }

    public State state() {
        return state;
    }

    /** The peer's durable watermark for this region's log, as last acknowledged. */
    public long acked() {
        return acked;
    }

    public boolean beyondRetention() {
        return beyondRetention;
    }

    /** Marks the peer as needing entries the log has dropped; it will be re-synced from a snapshot. */
    public void markBeyondRetention() {
        if (!beyondRetention) {
            beyondRetention = true;
            log.warn("event=peer_beyond_retention peer={} acked={} oldest_kept={} action=\"peer will be re-synced from a snapshot\"",
                    peer, acked, localLog.firstSeq());
        }
    }

    /** Entries committed here that the peer has not acknowledged. */
    public long lagEntries() {
        return Math.max(0, localLog.head() - acked);
    }

    /** Age of the oldest entry the peer has not acknowledged; 0 when it has everything. */
    public double lagSeconds() {
        if (localLog.head() <= acked) {
            return 0;
        }
        long oldest = localLog.timestampOf(acked + 1).orElse(HybridClock.fromMillis(wallClock.millis()));
        return Math.max(0, wallClock.millis() - HybridClock.physicalMillis(oldest)) / 1000.0;
    }

    private void run() {
        long backoffMillis = 100;
        while (running) {
            state = State.CONNECTING;
            try {
                streamOnce();
                backoffMillis = 100;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (Exception e) {
                logFailure(e);
            }
            if (!running) {
                break;
            }
            state = State.BACKOFF;
            try {
                Thread.sleep(backoffMillis / 2 + ThreadLocalRandom.current().nextLong(backoffMillis / 2 + 1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            backoffMillis = Math.min(backoffMillis * 2, settings.reconnectBackoffMax().toMillis());
        }
        state = State.STOPPED;
    }

    private void logFailure(Exception e) {
        consecutiveFailures++;
        // The first failure of an outage is news; the retries after it are not.
        if (consecutiveFailures == 1) {
            log.warn("event=peer_stream_failed peer={} address={} error=\"{}\" action=\"retrying with backoff\"",
                    peer, address, e.getMessage());
        } else {
            log.debug("event=peer_stream_failed peer={} attempt={} error=\"{}\"", peer, consecutiveFailures, e.getMessage());
        }
    }

    private void streamOnce() throws Exception {
        ClientFactory factory = ClientFactory.builder()
                .workerGroup(CommonPools.workerGroup(), false)
                .connectTimeout(Duration.ofSeconds(3))
                .idleTimeout(Duration.ZERO)
                .build();
        Session session = new Session();
        StreamObserver<SenderMessage> out = null;
        try {
            ReplicationGrpc.ReplicationStub stub = GrpcClients.builder("http://" + address)
                    .factory(factory)
                    .responseTimeout(Duration.ZERO)
                    .writeTimeout(Duration.ZERO)
                    .maxResponseLength(0)
                    .build(ReplicationGrpc.ReplicationStub.class);
            out = stub.stream(session);
            out.onNext(SenderMessage.newBuilder()
                    .setHello(Hello.newBuilder().setOrigin(region).setTarget(peer))
                    .build());
            long resume = session.resume.get(RESUME_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            acked = resume;
            state = State.STREAMING;
            if (consecutiveFailures > 0) {
                log.info("event=peer_stream_resumed peer={} resume_after={} after_failures={}", peer, resume, consecutiveFailures);
            }
            consecutiveFailures = 0;
            ship(out, session, resume);
        } finally {
            if (out != null) {
                try {
                    out.onCompleted();
                } catch (RuntimeException ignored) {
                    // the stream already failed
                }
            }
            factory.closeAsync();
        }
    }

    /** Ships log entries after {@code position} until the stream fails or the sender stops. */
    private void ship(StreamObserver<SenderMessage> out, Session session, long position) throws Exception {
        long lastSent = wallClock.millis();
        long heartbeatMillis = settings.heartbeatInterval().toMillis();
        while (running) {
            session.checkAlive(wallClock.millis(), livenessTimeout.toMillis());
            if (session.windowFull()) {
                session.awaitAck(heartbeatMillis);
                continue;
            }
            if (position + 1 < localLog.firstSeq()) {
                position = sendSnapshot(out, session);
                continue;
            }
            long lingerLeft = lastSent + LINGER_MILLIS - wallClock.millis();
            if (lingerLeft > 0 && session.inFlight() > 0 && localLog.head() - position < settings.batchSize()) {
                Thread.sleep(lingerLeft);
            }
            List<Entry> entries = localLog.read(position + 1, settings.batchSize(), MAX_BATCH_BYTES);
            if (!entries.isEmpty() && entries.get(0).getSeq() != position + 1) {
                continue; // dropped by retention while we read: the check above takes the snapshot path
            }
            if (!entries.isEmpty()) {
                send(out, session, entries);
                position = entries.get(entries.size() - 1).getSeq();
                lastSent = wallClock.millis();
            } else if (wallClock.millis() - lastSent >= heartbeatMillis) {
                send(out, session, List.of());
                lastSent = wallClock.millis();
            } else {
                localLog.awaitHeadAbove(position, heartbeatMillis);
            }
        }
    }

    private long sendSnapshot(StreamObserver<SenderMessage> out, Session session) throws Exception {
        markBeyondRetention();
        try (LocalLog.Snapshot snapshot = localLog.snapshot()) {
            long count = 0;
            var batch = new ArrayList<Entry>(settings.batchSize());
            long batchBytes = 0;
            for (Iterator<Entry> it = snapshot.entries(); it.hasNext(); ) {
                Entry entry = it.next();
                if (!batch.isEmpty() && batchBytes + entry.getSerializedSize() > MAX_BATCH_BYTES) {
                    count += sendWithinWindow(out, session, batch);
                    batch = new ArrayList<>(settings.batchSize());
                    batchBytes = 0;
                }
                batch.add(entry);
                batchBytes += entry.getSerializedSize();
                if (batch.size() == settings.batchSize()) {
                    count += sendWithinWindow(out, session, batch);
                    batch = new ArrayList<>(settings.batchSize());
                    batchBytes = 0;
                }
            }
            count += sendWithinWindow(out, session, batch);
            SenderMessage end = SenderMessage.newBuilder()
                    .setSnapshotEnd(SnapshotEnd.newBuilder().setSeq(snapshot.head()))
                    .build();
            session.sending(end);
            out.onNext(end);
            log.info("event=peer_snapshot_sent peer={} entries={} log_head={}", peer, count, snapshot.head());
            beyondRetention = false;
            return snapshot.head();
        }
    }

    private int sendWithinWindow(StreamObserver<SenderMessage> out, Session session, List<Entry> entries)
            throws Exception {
        while (session.windowFull()) {
            session.checkAlive(wallClock.millis(), livenessTimeout.toMillis());
            session.awaitAck(settings.heartbeatInterval().toMillis());
        }
        if (!entries.isEmpty()) {
            send(out, session, entries);
        }
        return entries.size();
    }

    private void send(StreamObserver<SenderMessage> out, Session session, List<Entry> entries) {
        SenderMessage message = SenderMessage.newBuilder()
                .setBatch(Batch.newBuilder()
                        .addAllEntries(entries)
                        .setHeadSeq(localLog.head())
                        .setSentAt(clock.now()))
                .build();
        session.sending(message);
        out.onNext(message);
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * What the peer has said on the current stream. Written by gRPC's thread, read by the sender's. The peer answers
     * every batch (heartbeats too) and snapshot end with one acknowledgement, so each acknowledgement takes the
     * oldest unacknowledged message out of the window. A heartbeat's may overtake the batch before it, which is
     * still being made durable; the byte count is then off by that batch's size until its own arrives.
     */
    private final class Session implements StreamObserver<ReceiverMessage> {
        final CompletableFuture<Long> resume = new CompletableFuture<>();
        private final ArrayDeque<Integer> unackedSizes = new ArrayDeque<>();
        private long unackedBytes;
        private long lastHeard = wallClock.millis();
        private Throwable failure;

        @Override
        public synchronized void onNext(ReceiverMessage message) {
            lastHeard = wallClock.millis();
            switch (message.getKindCase()) {
                case RESUME -> resume.complete(message.getResume().getAppliedSeq());
                case ACK -> {
                    Integer size = unackedSizes.pollFirst();
                    unackedBytes -= size == null ? 0 : size;
                    clock.observe(message.getAck().getReceiverClock());
                    acked = Math.max(acked, message.getAck().getAppliedSeq());
                    notifyAll();
                }
                default -> { }
            }
        }

        @Override
        public synchronized void onError(Throwable t) {
            failure = t;
            resume.completeExceptionally(t);
            notifyAll();
        }

        @Override
        public synchronized void onCompleted() {
            onError(new IllegalStateException("peer closed the stream"));
        }

        synchronized void sending(SenderMessage message) {
            int size = message.getSerializedSize();
            unackedSizes.addLast(size);
            unackedBytes += size;
        }

        synchronized long inFlight() {
            return unackedSizes.size();
        }

        synchronized boolean windowFull() {
            return unackedSizes.size() >= WINDOW_BATCHES || unackedBytes >= WINDOW_BYTES;
        }

        synchronized void awaitAck(long millis) throws InterruptedException {
            if (failure == null && !unackedSizes.isEmpty()) {
                wait(millis);
            }
        }

        synchronized void checkAlive(long now, long timeoutMillis) {
            if (failure != null) {
                throw new IllegalStateException("stream failed: " + failure.getMessage(), failure);
            }
            if (!unackedSizes.isEmpty() && now - lastHeard > timeoutMillis) {
                throw new IllegalStateException("peer silent for " + (now - lastHeard) + " ms");
            }
        }
    }
}
