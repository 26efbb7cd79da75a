package dev.meridian.fabric;

import dev.meridian.core.HybridClock;
import dev.meridian.core.Version;
import dev.meridian.fabric.store.RegionStore;
import dev.meridian.fabric.store.StateKey;
import dev.meridian.fabric.store.StateValue;
import dev.meridian.fabric.wire.Entry;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import org.rocksdb.WriteBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The region's single writer. Local writes and replicated batches queue here; the {@code fabric-committer} thread
 * takes everything queued and applies last-writer-wins against the current state. Replicated entries are written
 * first, without waiting for the disk, and wake the reads waiting for them (SESSION and GLOBAL reads need them
 * visible, not fsync'd here: they are durable in their origin). Then local writes get log sequences and are
 * committed with the log head in one fsync'd RocksDB batch (group commit), which makes everything written before it
 * durable as well (or, with no local writes, the WAL is synced); only then are watermarks acknowledged, the log head
 * moved and callers answered. Because it is the only writer, the LWW comparison and the write are atomic.
 *
 * <p>Owned by the committer thread: {@code head} and the watermark maps' writes.
 */
final class CommitPipeline implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CommitPipeline.class);
    private static final int MAX_GROUP = 2048;

    /** One unit of work for the committer. */
    sealed interface Commit {
        CompletableFuture<Long> done();
    }

    /** A local write; completes with its log sequence once durable. */
    record LocalWrite(byte[] stateKey, StateValue value, CompletableFuture<Long> done) implements Commit {}

    /**
     * A write every region applies on its own, in the order the strong log agreed it: state only, last-writer-wins,
     * no log entry (nothing to replicate); completes with 0 once durable.
     */
    record AgreedWrite(byte[] stateKey, StateValue value, CompletableFuture<Long> done) implements Commit {}

    /**
     * Entries from {@code origin}'s log, in order; completes with the origin's watermark once durable. Snapshot
     * entries (seq 0) are merged without moving the watermark; {@code snapshotEnd > 0} then moves it there.
     */
    record RemoteBatch(String origin, List<Entry> entries, long snapshotEnd, CompletableFuture<Long> done)
            implements Commit {}

    private final RegionStore store;
    private final String region;
    private final Watchers watchers;
    private final AppliedWaiters waiters;
    private final FabricMetrics metrics;
    private final Clock wallClock;
    private final BlockingQueue<Commit> queue = new LinkedBlockingQueue<>();
    /** Per origin, the highest sequence applied here contiguously and fsync'd: what the origin is acknowledged. */
    private final Map<String, Long> watermarks = new java.util.concurrent.ConcurrentHashMap<>();
    /** Per origin, the highest sequence applied here contiguously, visible to reads, perhaps not yet fsync'd. */
    private final Map<String, Long> visibleWatermarks = new java.util.concurrent.ConcurrentHashMap<>();
    private final Object headChanged = new Object();
    private final DurableTimes durableTimes;
    private final Thread thread;
    private volatile long head;
    private volatile boolean running = true;

    CommitPipeline(RegionStore store, String region, List<String> origins, Watchers watchers,
            FabricMetrics metrics, Clock wallClock) {
        this.store = store;
        this.region = region;
        this.watchers = watchers;
        this.waiters = new AppliedWaiters(this::applied);
        this.metrics = metrics;
        this.wallClock = wallClock;
        this.head = store.head();
        this.durableTimes = new DurableTimes(head);
        for (String origin : origins) {
            watermarks.put(origin, store.counter(watermarkName(origin)));
            visibleWatermarks.put(origin, watermarks.get(origin));
        }
        thread = new Thread(this::run, "fabric-committer");
        thread.setDaemon(true);
        thread.start();
    }

    CompletableFuture<Long> submit(Commit commit) {
        if (!running) {
            commit.done().completeExceptionally(new IllegalStateException("region is shutting down"));
        } else {
            queue.add(commit);
        }
        return commit.done();
    }

    long head() {
        return head;
    }

    /** When local entry {@code seq} became durable, or 0 when no longer known. */
    long durableAt(long seq) {
        return durableTimes.of(seq);
    }

    /** The highest sequence of {@code origin}'s log applied here, contiguously. */
    long watermark(String origin) {
        return watermarks.getOrDefault(origin, 0L);
    }

    Map<String, Long> watermarks() {
        return Map.copyOf(watermarks);
    }

    /**
     * Per region, the position of its log applied here and visible to reads: for each origin its visible watermark
     * (which may run ahead of {@link #watermark} until the fsync), and this region's own head.
     */
    Map<String, Long> applied() {
        var applied = new HashMap<>(visibleWatermarks);
        applied.put(region, head);
        return applied;
    }

    /** Completes with true once every position is applied here ({@link #applied}), or false after {@code timeout}. */
    CompletableFuture<Boolean> awaitApplied(Map<String, Long> positions, java.time.Duration timeout) {
        return waiters.await(positions, timeout);
    }

    /** Blocks up to {@code millis} or until the log head moves past {@code seq}. */
    void awaitHeadAbove(long seq, long millis) throws InterruptedException {
        synchronized (headChanged) {
            if (head <= seq) {
                headChanged.wait(millis);
            }
        }
    }

    private void run() {
        var group = new ArrayList<Commit>();
        while (running || !queue.isEmpty()) {
            try {
                Commit first = queue.poll(100, java.util.concurrent.TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                group.add(first);
                queue.drainTo(group, MAX_GROUP - 1);
                commitGroup(group);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException e) {
                log.error("event=commit_failed commits={} error=\"{}\"", group.size(), e.getMessage(), e);
                group.forEach(c -> c.done().completeExceptionally(e));
            } finally {
                group.clear();
            }
        }
    }

    private void commitGroup(List<Commit> group) {
        var remotes = new ArrayList<RemoteBatch>();
        var locals = new ArrayList<Commit>();
        for (Commit commit : group) {
            if (commit instanceof RemoteBatch remote) {
                remotes.add(remote);
            } else {
                locals.add(commit);
            }
        }
        // Last-writer-wins makes the outcome independent of apply order, so replicated batches go first: they become
        // visible before the fsync, and the local writes' fsync'd write then makes them durable too.
        var changed = new ArrayList<byte[]>();
        long started = System.nanoTime();
        AppliedRemotes remote = applyRemotes(remotes, changed);
        LocalResults local = commitLocals(locals, changed);
        if (locals.isEmpty()) {
            store.syncWal();
        }
        metrics.groupCommitted(group.size(), System.nanoTime() - started);

        // Replication delay runs from the origin's durable commit (or, when the origin no longer knows that, from the
        // write's timestamp) to the entry being durable here, so it is taken after the fsync.
        long nowMillis = wallClock.millis();
        for (Entry entry : remote.replicated()) {
            long committed = entry.getCommittedAtMillis() > 0
                    ? entry.getCommittedAtMillis()
                    : HybridClock.physicalMillis(entry.getTimestamp());
            metrics.applied(entry.getOrigin(), (nowMillis - committed) * 1000);
        }
        watermarks.putAll(remote.watermarks());
        if (local.head() != head) {
            durableTimes.record(local.head(), nowMillis);
            metrics.localCommits(local.head() - head);
            synchronized (headChanged) {
                head = local.head();
                headChanged.notifyAll();
            }
            waiters.advanced();
        }
        for (byte[] stateKey : changed) {
            try {
                watchers.changed(stateKey);
            } catch (RuntimeException e) {
                log.warn("event=watcher_failed error=\"{}\"", e.getMessage(), e);
            }
        }
        remote.complete(remotes);
        local.complete(locals);
    }

    /**
     * Writes replicated batches without waiting for the fsync and at once wakes the reads waiting for them: an entry
     * is already durable in its origin, so a crash here before the fsync loses nothing acknowledged, and the
     * durable watermark (what the origin is acknowledged and resumes from) moves only after the fsync.
     */
    private AppliedRemotes applyRemotes(List<RemoteBatch> remotes, List<byte[]> changed) {
        var results = new long[remotes.size()];
        var failures = new RuntimeException[remotes.size()];
        var newWatermarks = new HashMap<String, Long>();
        var replicated = new ArrayList<Entry>();
        if (remotes.isEmpty()) {
            return new AppliedRemotes(results, failures, newWatermarks, replicated);
        }
        var overlay = new HashMap<ByteBuffer, StateValue>();
        try (WriteBatch batch = new WriteBatch()) {
            for (int i = 0; i < remotes.size(); i++) {
                RemoteBatch remote = remotes.get(i);
                long wm = newWatermarks.computeIfAbsent(remote.origin(), this::watermark);
                try {
                    // Checked whole before anything is written: a refused batch leaves nothing behind, and fails
                    // alone, not the writes committed with it.
                    refuseUnfit(remote, wm);
                    wm = applyRemote(batch, overlay, changed, replicated, remote, wm);
                } catch (GapException | IllegalArgumentException e) {
                    failures[i] = e;
                }
                newWatermarks.put(remote.origin(), wm);
                results[i] = wm;
            }
            newWatermarks.forEach((origin, wm) -> store.putCounter(batch, watermarkName(origin), wm));
            store.write(batch);
        }
        newWatermarks.forEach((origin, wm) -> visibleWatermarks.merge(origin, wm, Math::max));
        waiters.advanced();
        return new AppliedRemotes(results, failures, newWatermarks, replicated);
    }

    /** Commits local and agreed writes in one fsync'd write, which also makes every write before it durable. */
    private LocalResults commitLocals(List<Commit> locals, List<byte[]> changed) {
        var results = new long[locals.size()];
        long newHead = head;
        if (locals.isEmpty()) {
            return new LocalResults(results, newHead);
        }
        var overlay = new HashMap<ByteBuffer, StateValue>();
        try (WriteBatch batch = new WriteBatch()) {
            for (int i = 0; i < locals.size(); i++) {
                if (locals.get(i) instanceof LocalWrite write) {
                    newHead++;
                    store.putLog(batch, newHead, logEntry(newHead, write).toByteArray());
                    applyIfNewer(batch, overlay, changed, write.stateKey(), write.value());
                    results[i] = newHead;
                } else if (locals.get(i) instanceof AgreedWrite agreed) {
                    applyIfNewer(batch, overlay, changed, agreed.stateKey(), agreed.value());
                }
            }
            if (newHead != head) {
                store.putHead(batch, newHead);
            }
            store.writeDurably(batch);
        }
        return new LocalResults(results, newHead);
    }

    /** What a group's replicated batches did: per batch its origin's new watermark, or why it was refused. */
    private record AppliedRemotes(long[] results, RuntimeException[] failures, Map<String, Long> watermarks,
            List<Entry> replicated) {
        void complete(List<RemoteBatch> remotes) {
            for (int i = 0; i < remotes.size(); i++) {
                if (failures[i] != null) {
                    remotes.get(i).done().completeExceptionally(failures[i]);
                } else {
                    remotes.get(i).done().complete(results[i]);
                }
            }
        }
    }

    /** What a group's local writes got: each its log sequence (0 for agreed writes), and the new log head. */
    private record LocalResults(long[] results, long head) {
        void complete(List<Commit> locals) {
            for (int i = 0; i < locals.size(); i++) {
                locals.get(i).done().complete(results[i]);
            }
        }
    }

    /** Throws if {@code remote} skips a sequence after {@code watermark} or holds an entry no state can be made of. */
    private static void refuseUnfit(RemoteBatch remote, long watermark) {
        long wm = watermark;
        for (Entry entry : remote.entries()) {
            new Version(entry.getTimestamp(), entry.getOrigin());
            StateKey.of(entry.getKeyspace(), entry.getKey().toByteArray());
            if (entry.getSeq() == 0 || entry.getSeq() <= wm) {
                continue;
            }
            if (entry.getSeq() != wm + 1) {
                throw new GapException(remote.origin(), wm, entry.getSeq());
            }
            wm = entry.getSeq();
        }
    }

    private long applyRemote(WriteBatch batch, Map<ByteBuffer, StateValue> overlay, List<byte[]> changed,
            List<Entry> replicated, RemoteBatch remote, long watermark) {
        long wm = watermark;
        for (Entry entry : remote.entries()) {
            boolean snapshotEntry = entry.getSeq() == 0;
            if (!snapshotEntry) {
                if (entry.getSeq() <= wm) {
                    continue; // already applied: delivery is at-least-once, apply is idempotent
                }
                wm = entry.getSeq(); // the next one: refuseUnfit has checked the batch has no gap

            }
            Version version = new Version(entry.getTimestamp(), entry.getOrigin());
            StateValue value = entry.getTombstone()
                    ? StateValue.tombstone(version)
                    : new StateValue(version, false, entry.getValue().toByteArray());
            applyIfNewer(batch, overlay, changed, StateKey.of(entry.getKeyspace(), entry.getKey().toByteArray()), value);
            if (!snapshotEntry) {
                replicated.add(entry);
            }
        }
        if (remote.snapshotEnd() > wm) {
            wm = remote.snapshotEnd();
        }
        return wm;
    }

    /** Last-writer-wins: the higher version stays, whatever order versions arrive in. */
    private void applyIfNewer(WriteBatch batch, Map<ByteBuffer, StateValue> overlay, List<byte[]> changed,
            byte[] stateKey, StateValue value) {
        ByteBuffer slot = ByteBuffer.wrap(stateKey);
        StateValue current = overlay.get(slot);
        if (current == null) {
            current = store.state(stateKey).orElse(null);
        }
        if (current != null && !value.version().isNewerThan(current.version())) {
            return;
        }
        overlay.put(slot, value);
        store.putState(batch, stateKey, value);
        changed.add(stateKey);
    }

    private Entry logEntry(long seq, LocalWrite write) {
        StateValue value = write.value();
        return Entry.newBuilder()
                .setSeq(seq)
                .setKeyspace(StateKey.keyspace(write.stateKey()))
                .setKey(ByteString.copyFrom(StateKey.key(write.stateKey())))
                .setTimestamp(value.version().timestamp())
                .setOrigin(region)
                .setTombstone(value.tombstone())
                .setValue(ByteString.copyFrom(value.value()))
                .build();
    }

    Optional<StateValue> state(byte[] stateKey) {
        return store.state(stateKey);
    }

    private static String watermarkName(String origin) {
        return "applied/" + origin;
    }

    /** Stops taking work, finishes what is queued, and waits for the committer to exit. */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A replicated batch that skips sequences: the stream must restart from the watermark. */
    static final class GapException extends RuntimeException {
        GapException(String origin, long watermark, long seq) {
            super("entries from " + origin + " skip from " + watermark + " to " + seq, null, false, false);
        }
    }
}
