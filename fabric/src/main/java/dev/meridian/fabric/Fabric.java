package dev.meridian.fabric;

import dev.meridian.core.HybridClock;
import dev.meridian.core.RegionConfig;
import dev.meridian.core.Version;
import dev.meridian.fabric.antientropy.AntiEntropy;
import dev.meridian.fabric.replication.PeerHeads;
import dev.meridian.fabric.replication.PeerSender;
import dev.meridian.fabric.replication.ReplicationReceiver;
import dev.meridian.fabric.store.RegionStore;
import dev.meridian.fabric.store.StateKey;
import dev.meridian.fabric.store.StateValue;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.grpc.GrpcService;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The replication fabric of one region: durable local state for every layer's keyspaces, this region's change
 * log, and the streams that keep every region converged.
 *
 * <p>Write path: {@link #mutate} decides under the key's lock, the committer writes state and log entry in one
 * fsync'd RocksDB batch, and only then does the call return (durable locally). Replication: one
 * {@link PeerSender} per peer ships the log over gRPC; peers apply entries last-writer-wins on (hybrid logical
 * clock, region), so every region converges to the same state whatever the delivery order or duplication.
 */
public final class Fabric implements AutoCloseable {
    /** The HTTP/2 flow-control window of each stream of entries arriving from a peer, and of their connection. */
    private static final int PEER_WINDOW_BYTES = 16 << 20;

    private static final Logger log = LoggerFactory.getLogger(Fabric.class);

    private final RegionConfig config;
    private final HybridClock clock;
    private final RegionStore store;
    private final Watchers watchers = new Watchers();
    private final KeyLocks locks = new KeyLocks(1024);
    private final CommitPipeline pipeline;
    private final List<PeerSender> senders = new ArrayList<>();
    private final Server peerServer;
    private final ScheduledExecutorService retentionThread;
    private final ReplicationDelays delays;
    private final PeerHeads peerHeads;
    private final AntiEntropy antiEntropy;
    private final ScheduledExecutorService antiEntropyThread;

    private Fabric(RegionConfig config, MeterRegistry meters, Clock wallClock, Map<String, HttpService> peerServices) {
        this.config = config;
        this.clock = new HybridClock(wallClock);
        this.store = RegionStore.open(config.dataDir().resolve("fabric"));
        List<String> peerNames = config.peers().stream().map(RegionConfig.Peer::name).toList();
        FabricMetrics metrics = new FabricMetrics(meters);
        this.delays = metrics.delays();
        this.pipeline = new CommitPipeline(store, config.region(), peerNames, watchers, metrics, wallClock);
        var localLog = new StoreLog(store, pipeline, config.region());
        Map<String, String> peerAddresses = config.peers().stream()
                .collect(java.util.stream.Collectors.toMap(RegionConfig.Peer::name, RegionConfig.Peer::address));
        this.antiEntropy = new AntiEntropy(store, new PipelineSink(pipeline), clock, peerAddresses, meters);
        for (RegionConfig.Peer peer : config.peers()) {
            senders.add(new PeerSender(config.region(), peer.name(), peer.address(),
                    store.counter(LogRetention.ackedName(peer.name())), localLog, clock, wallClock, config.fabric()));
        }
        var peerServer = Server.builder()
                .http(config.peerPort())
                .requestTimeout(Duration.ZERO)
                .maxRequestLength(0)
                // A peer's stream carries at most one HTTP/2 window per round trip: Armeria's default 1 MiB would
                // hold a peer 220 ms away to under 5 MiB/s of entries, whatever the link carries.
                .http2InitialConnectionWindowSize(PEER_WINDOW_BYTES)
                .http2InitialStreamWindowSize(PEER_WINDOW_BYTES)
                .idleTimeout(Duration.ZERO)
                // Streams resume from the durable watermark, so stopping needs no grace period.
                .gracefulShutdownTimeout(Duration.ZERO, Duration.ZERO)
                .service(GrpcService.builder()
                        .addService(new ReplicationReceiver(config.region(), java.util.Set.copyOf(peerNames),
                                new PipelineSink(pipeline), clock))
                        .addService(antiEntropy.service())
                        .build());
        peerServices.forEach(peerServer::service);
        this.peerServer = peerServer.build();
        this.retentionThread = daemonScheduler("fabric-retention");
        this.antiEntropyThread = daemonScheduler("fabric-anti-entropy");
        this.peerHeads = new PeerHeads(config.region(), peerAddresses);
        registerGauges(metrics);
    }

    /** Opens the region's store and starts replication with every configured peer. */
    public static Fabric open(RegionConfig config, MeterRegistry meters, Clock clock) {
        return open(config, meters, clock, Map.of());
    }

    /**
     * Like {@link #open(RegionConfig, MeterRegistry, Clock)}, also serving {@code peerServices} (by path) on the
     * peer port, which only other regions reach.
     */
    public static Fabric open(RegionConfig config, MeterRegistry meters, Clock clock,
            Map<String, HttpService> peerServices) {
        Fabric fabric = new Fabric(config, meters, clock, peerServices);
        fabric.start();
        return fabric;
    }

    private void start() {
        peerServer.start().join();
        senders.forEach(PeerSender::start);
        var retention = new LogRetention(store, pipeline, senders, config.fabric().maxLogEntries());
        retentionThread.scheduleWithFixedDelay(() -> {
            try {
                retention.run();
            } catch (RuntimeException e) {
                log.warn("event=retention_failed error=\"{}\"", e.getMessage(), e);
            }
        }, 1, 2, TimeUnit.SECONDS);
        long every = config.fabric().antiEntropyInterval().toMillis();
        if (every > 0) {
            antiEntropyThread.scheduleWithFixedDelay(() -> {
                try {
                    antiEntropy.repairAll();
                } catch (RuntimeException e) {
                    log.warn("event=anti_entropy_failed error=\"{}\"", e.getMessage(), e);
                }
            }, every, every, TimeUnit.MILLISECONDS);
        }
        log.info("event=fabric_started region={} peer_port={} peers={} log_head={}",
                config.region(), peerPort(), senders.stream().map(PeerSender::peer).toList(), pipeline.head());
    }

    public String region() {
        return config.region();
    }

    /** The port replication streams from peers arrive on (resolved when the config asked for any free port). */
    public int peerPort() {
        return peerServer.activeLocalPort();
    }

    /**
     * Atomically reads and changes one key. {@code decide} runs under the key's lock with the key's live record
     * (empty when absent or deleted); its mutation is written with the state change and the log entry in one
     * fsync'd batch before this returns, then replicates to every region. If {@code decide} throws, nothing is
     * written and the exception propagates.
     */
    public <R> R mutate(String keyspace, byte[] key, Function<Optional<Record>, Mutation<R>> decide) {
        CompletableFuture<R> outcome = mutateEach(List.of(new KeyChange<>(keyspace, key, decide))).get(0);
        try {
            return outcome.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    /**
     * {@link #mutate} for several distinct keys at once, as one group commit (one fsync) instead of one per key.
     * Every {@code decide} runs first, each under its key's lock; if one throws, nothing is written and the
     * exception propagates. Returns once every write is durable or has failed (e.g. the region is stopping): each
     * future is then complete, in the order of {@code changes}. Each key's change is atomic; the group as a whole
     * is not promised to be.
     */
    public <R> List<CompletableFuture<R>> mutateEach(List<KeyChange<R>> changes) {
        List<byte[]> stateKeys = changes.stream().map(c -> StateKey.of(c.keyspace(), c.key())).toList();
        List<ReentrantLock> held = locks.lockAll(stateKeys);
        try {
            var mutations = new ArrayList<Mutation<R>>(changes.size());
            for (int i = 0; i < changes.size(); i++) {
                KeyChange<R> change = changes.get(i);
                mutations.add(change.decide().apply(live(change.key(), pipeline.state(stateKeys.get(i)))));
            }
            var outcomes = new ArrayList<CompletableFuture<R>>(changes.size());
            for (int i = 0; i < changes.size(); i++) {
                Mutation<R> mutation = mutations.get(i);
                if (mutation instanceof Mutation.Keep<R>) {
                    outcomes.add(CompletableFuture.completedFuture(mutation.result()));
                    continue;
                }
                Version version = new Version(clock.now(), config.region());
                StateValue value = mutation instanceof Mutation.Put<R> put
                        ? new StateValue(version, false, put.value())
                        : StateValue.tombstone(version);
                outcomes.add(pipeline.submit(new CommitPipeline.LocalWrite(stateKeys.get(i), value, new CompletableFuture<>()))
                        .thenApply(seq -> mutation.result()));
            }
            awaitAll(outcomes);
            return outcomes;
        } finally {
            KeyLocks.unlockAll(held);
        }
    }

    /**
     * Writes a value the strong log agreed on ({@code value} null: a tombstone) with the version it agreed, without a
     * log entry: every region applies the strong log itself. Completes once durable; calls take effect in order.
     */
    public CompletableFuture<Void> applyAgreed(String keyspace, byte[] key, Version version, byte[] value) {
        StateValue state = value == null ? StateValue.tombstone(version) : new StateValue(version, false, value);
        return pipeline.submit(new CommitPipeline.AgreedWrite(StateKey.of(keyspace, key), state,
                new CompletableFuture<>())).thenApply(done -> null);
    }

    /** A new timestamp of this region's hybrid clock, after every write it has made or seen. */
    public long timestamp() {
        return clock.now();
    }

    public Optional<Record> get(String keyspace, byte[] key) {
        return live(key, pipeline.state(StateKey.of(keyspace, key)));
    }

    /**
     * Live records of {@code keyspace} with {@code fromInclusive <= key < toExclusive} (null: unbounded), in
     * unsigned byte order of the key, descending when {@code reverse}.
     */
    public RecordCursor scan(String keyspace, byte[] fromInclusive, byte[] toExclusive, boolean reverse) {
        byte[] from = fromInclusive == null ? StateKey.prefix(keyspace) : StateKey.of(keyspace, fromInclusive);
        byte[] to = toExclusive == null ? StateKey.end(keyspace) : StateKey.of(keyspace, toExclusive);
        return new RecordCursor(store.iterate(from, to, reverse));
    }

    /** Calls {@code onChange(key)} after every durable local or replicated change in {@code keyspace}. */
    public void watch(String keyspace, Consumer<byte[]> onChange) {
        watchers.add(keyspace, onChange);
    }

    /**
     * This region's newest change-log sequence. A watcher called for a local write sees a head at or past that
     * write's own sequence.
     */
    public long logHead() {
        return pipeline.head();
    }

    /**
     * Per region, the position of its change log applied here (this region's own: its head). A write acknowledged
     * anywhere is visible here once its region's position here reaches the write's.
     */
    public Map<String, Long> applied() {
        return pipeline.applied();
    }

    /**
     * Completes with true as soon as every given position (region to log sequence) is applied here, or with false
     * after {@code timeout}; never on the committer's thread.
     */
    public CompletableFuture<Boolean> awaitApplied(Map<String, Long> positions, Duration timeout) {
        return pipeline.awaitApplied(positions, timeout);
    }

    /**
     * Each peer's change-log head, asked over its peer link; a peer that does not answer within {@code timeout} is
     * left out. Every write a peer acknowledged before it answered is at or below its head.
     */
    public CompletableFuture<Map<String, Long>> peerHeads(Duration timeout) {
        var answers = new java.util.LinkedHashMap<String, CompletableFuture<Optional<Long>>>();
        config.peers().forEach(peer -> answers.put(peer.name(), peerHeads.head(peer.name(), timeout)));
        return CompletableFuture.allOf(answers.values().toArray(CompletableFuture[]::new)).thenApply(done -> {
            var heads = new java.util.TreeMap<String, Long>();
            answers.forEach((peer, answer) -> answer.join().ifPresent(head -> heads.put(peer, head)));
            return heads;
        });
    }

    /**
     * Compares this region's whole state with every peer's now (Merkle digests, three round trips) and pulls what
     * differs, merged last-writer-wins; blocks until done. Also runs every {@code fabric.antiEntropyInterval}.
     */
    public List<AntiEntropy.Round> repair() {
        return antiEntropy.repairAll();
    }

    public FabricStatus status() {
        var peers = senders.stream()
                .map(s -> new FabricStatus.PeerStatus(s.peer(), s.state().name(), s.acked(), s.lagEntries(),
                        s.lagSeconds(), s.beyondRetention()))
                .toList();
        long head = pipeline.head();
        return new FabricStatus(config.region(), head, store.firstLogSeq(), peers, pipeline.watermarks());
    }

    /** Exact commit-to-apply delays of entries replicated into this region, per origin. */
    public ReplicationDelays replicationDelays() {
        return delays;
    }

    private static Optional<Record> live(byte[] key, Optional<StateValue> state) {
        return state.filter(s -> !s.tombstone()).map(s -> new Record(key, s.value(), s.version()));
    }

    /** Waits until every future is complete, whatever its outcome; the caller reads each one. */
    private static void awaitAll(List<? extends CompletableFuture<?>> futures) {
        for (CompletableFuture<?> future : futures) {
            try {
                future.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for a durable commit", e);
            } catch (ExecutionException e) {
                // read by the caller
            }
        }
    }

    private static ScheduledExecutorService daemonScheduler(String name) {
        return Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    private void registerGauges(FabricMetrics metrics) {
        metrics.gauge("meridian.fabric.log.head", "this region's newest change-log sequence", Map.of(),
                pipeline::head);
        metrics.gauge("meridian.fabric.log.entries", "change-log entries kept for peers", Map.of(),
                () -> pipeline.head() - store.firstLogSeq() + 1);
        for (PeerSender sender : senders) {
            Map<String, String> tags = Map.of("peer", sender.peer());
            metrics.gauge("meridian.replication.lag.entries", "entries the peer has not acknowledged", tags,
                    sender::lagEntries);
            metrics.gauge("meridian.replication.lag.seconds", "age of the oldest entry the peer has not acknowledged",
                    tags, sender::lagSeconds);
            metrics.gauge("meridian.replication.beyond.retention",
                    "1 when the peer needs entries the log dropped and must be re-synced from a snapshot", tags,
                    () -> sender.beyondRetention() ? 1 : 0);
            metrics.gauge("meridian.replication.connected", "1 while the stream to the peer is up", tags,
                    () -> sender.state() == PeerSender.State.STREAMING ? 1 : 0);
        }
    }

    /** Stops replication, finishes queued commits, and closes the store. */
    @Override
    public void close() {
        senders.forEach(PeerSender::close);
        peerServer.stop().join();
        retentionThread.shutdownNow();
        antiEntropyThread.shutdownNow();
        try {
            // A comparison reads the store: it must be over before the store closes.
            antiEntropyThread.awaitTermination(35, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        pipeline.close();
        store.close();
        log.info("event=fabric_stopped region={} log_head={}", config.region(), pipeline.head());
    }
}
