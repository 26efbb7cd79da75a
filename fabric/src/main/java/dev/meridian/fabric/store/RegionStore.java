package dev.meridian.fabric.store;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.LRUCache;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.Snapshot;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * One region's RocksDB: the {@code state} column family (every key's current state), the {@code log} column
 * family (this region's change log by sequence) and {@code meta} (log head, per-origin watermarks, peer
 * acknowledgements). All three change in one atomic, fsync'd write batch, so state and log never disagree.
 */
public final class RegionStore implements AutoCloseable {
    static {
        RocksDB.loadLibrary();
    }

    private static final byte[] HEAD = "head".getBytes(StandardCharsets.UTF_8);

    private final RocksDB db;
    private final DBOptions dbOptions;
    private final ColumnFamilyOptions cfOptions;
    private final ColumnFamilyOptions stateOptions;
    private final LRUCache blockCache;
    private final ColumnFamilyHandle meta;
    private final ColumnFamilyHandle state;
    private final ColumnFamilyHandle log;
    private final List<ColumnFamilyHandle> handles = new ArrayList<>();
    private final WriteOptions syncWrites = new WriteOptions().setSync(true);
    private final WriteOptions unsyncedWrites = new WriteOptions();
    /**
     * The oldest sequence the log may still hold: every entry before it was dropped. Kept in memory because
     * finding the first live entry means skipping every deleted one, which is slow right after a truncation.
     */
    private volatile long firstLogSeq;

    private RegionStore(Path dir) throws RocksDBException {
        blockCache = new LRUCache(64L << 20);
        cfOptions = new ColumnFamilyOptions()
                .setWriteBufferSize(16L << 20)
                .setTableFormatConfig(new BlockBasedTableConfig().setBlockCache(blockCache));
        // Most writes are of keys that do not exist yet; a Bloom filter answers "absent" without reading any block.
        stateOptions = new ColumnFamilyOptions()
                .setWriteBufferSize(16L << 20)
                .setTableFormatConfig(new BlockBasedTableConfig().setBlockCache(blockCache)
                        .setFilterPolicy(new BloomFilter(10, false)));
        dbOptions = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true);
        var descriptors = List.of(
                new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, cfOptions),
                new ColumnFamilyDescriptor("state".getBytes(StandardCharsets.UTF_8), stateOptions),
                new ColumnFamilyDescriptor("log".getBytes(StandardCharsets.UTF_8), cfOptions));
        db = RocksDB.open(dbOptions, dir.toString(), descriptors, handles);
        meta = handles.get(0);
        state = handles.get(1);
        log = handles.get(2);
        try (var it = db.newIterator(log)) {
            it.seekToFirst();
            firstLogSeq = it.isValid() ? toLong(it.key()) : head() + 1;
        }
    }

    public static RegionStore open(Path dir) {
        try {
            Files.createDirectories(dir);
            return new RegionStore(dir);
        } catch (RocksDBException | java.io.IOException e) {
            throw new StorageException("cannot open the region store at " + dir + ": " + e.getMessage()
                    + " (is another region process using this data dir?)", e);
        }
    }

    /**
     * Writes the batch atomically and returns without waiting for the disk: it is visible at once, survives the
     * process being killed (it is in the OS's page cache), and is durable once a later {@link #writeDurably} or
     * {@link #syncWal} returns, since the WAL is synced in order.
     */
    public void write(WriteBatch batch) {
        try {
            db.write(unsyncedWrites, batch);
        } catch (RocksDBException e) {
            throw new StorageException("write failed: " + e.getMessage(), e);
        }
    }

    /** Waits until every write so far is on disk (fsync'd WAL). */
    public void syncWal() {
        try {
            db.syncWal();
        } catch (RocksDBException e) {
            throw new StorageException("WAL sync failed: " + e.getMessage(), e);
        }
    }

    /**
     * Writes the batch atomically and waits until it, and every write before it, is on disk (fsync'd WAL); it is
     * visible only then.
     */
    public void writeDurably(WriteBatch batch) {
        try {
            db.write(syncWrites, batch);
        } catch (RocksDBException e) {
            throw new StorageException("write failed: " + e.getMessage(), e);
        }
    }

    public Optional<StateValue> state(byte[] stateKey) {
        return get(state, stateKey).map(StateValue::decode);
    }

    public void putState(WriteBatch batch, byte[] stateKey, StateValue value) {
        put(batch, state, stateKey, value.encode());
    }

    public void putLog(WriteBatch batch, long seq, byte[] entry) {
        put(batch, log, seqKey(seq), entry);
    }

    public void putHead(WriteBatch batch, long seq) {
        put(batch, meta, HEAD, longBytes(seq));
    }

    public long head() {
        return get(meta, HEAD).map(RegionStore::toLong).orElse(0L);
    }

    public void putCounter(WriteBatch batch, String name, long value) {
        put(batch, meta, name.getBytes(StandardCharsets.UTF_8), longBytes(value));
    }

    public long counter(String name) {
        return get(meta, name.getBytes(StandardCharsets.UTF_8)).map(RegionStore::toLong).orElse(0L);
    }

    /** The oldest sequence still in the log; past the head when the log is empty. */
    public long firstLogSeq() {
        return firstLogSeq;
    }

    /** Up to {@code max} log entries from {@code fromSeq} on, in order. */
    public List<byte[]> readLog(long fromSeq, int max, long maxBytes) {
        var out = new ArrayList<byte[]>(Math.min(max, 1024));
        long bytes = 0;
        try (var it = db.newIterator(log)) {
            for (it.seek(seqKey(fromSeq)); it.isValid() && out.size() < max; it.next()) {
                byte[] value = it.value();
                bytes += value.length;
                if (bytes > maxBytes && !out.isEmpty()) {
                    break;
                }
                out.add(value);
            }
        }
        return out;
    }

    /** Drops every log entry before {@code seq}. */
    public void truncateLogBefore(long seq) {
        try {
            db.deleteRange(log, seqKey(firstLogSeq), seqKey(seq));
            firstLogSeq = Math.max(firstLogSeq, seq);
        } catch (RocksDBException e) {
            throw new StorageException("log truncation failed: " + e.getMessage(), e);
        }
    }

    /** Iterates the state column family from {@code from} (inclusive) to {@code to} (exclusive). */
    public StateIterator iterate(byte[] from, byte[] to, boolean reverse) {
        return new StateIterator(db.newIterator(state), from, to, reverse);
    }

    /** A consistent point-in-time view of state and meta, for snapshots shipped to a lagging peer. */
    public PointInTime pointInTime() {
        Snapshot snapshot = db.getSnapshot();
        return new PointInTime(this, snapshot);
    }

    /** A RocksDB snapshot: the log head and the whole state as of one instant. */
    public static final class PointInTime implements AutoCloseable {
        private final RegionStore store;
        private final Snapshot snapshot;
        private final org.rocksdb.ReadOptions options;

        private PointInTime(RegionStore store, Snapshot snapshot) {
            this.store = store;
            this.snapshot = snapshot;
            this.options = new org.rocksdb.ReadOptions().setSnapshot(snapshot);
        }

        public long head() {
            try {
                byte[] bytes = store.db.get(store.meta, options, HEAD);
                return bytes == null ? 0 : toLong(bytes);
            } catch (RocksDBException e) {
                throw new StorageException("read failed: " + e.getMessage(), e);
            }
        }

        public StateIterator states() {
            return new StateIterator(store.db.newIterator(store.state, options), null, null, false);
        }

        @Override
        public void close() {
            options.close();
            store.db.releaseSnapshot(snapshot);
        }
    }

    private Optional<byte[]> get(ColumnFamilyHandle family, byte[] key) {
        try {
            // RocksJava's get() reports an absent key through a C++ exception, which costs more than the lookup;
            // keyMayExist (memtables and Bloom filters, no I/O) rules most absent keys out first.
            if (!db.keyMayExist(family, key, null)) {
                return Optional.empty();
            }
            return Optional.ofNullable(db.get(family, key));
        } catch (RocksDBException e) {
            throw new StorageException("read failed: " + e.getMessage(), e);
        }
    }

    private static void put(WriteBatch batch, ColumnFamilyHandle family, byte[] key, byte[] value) {
        try {
            batch.put(family, key, value);
        } catch (RocksDBException e) {
            throw new StorageException("batch put failed: " + e.getMessage(), e);
        }
    }

    static byte[] seqKey(long seq) {
        return longBytes(seq);
    }

    private static byte[] longBytes(long value) {
        return ByteBuffer.allocate(8).putLong(value).array();
    }

    private static long toLong(byte[] bytes) {
        return ByteBuffer.wrap(bytes).getLong();
    }

    @Override
    public void close() {
        try {
            db.syncWal();
        } catch (RocksDBException e) {
            // closing anyway: every acknowledged write was already fsync'd
        }
        handles.forEach(ColumnFamilyHandle::close);
        db.close();
        syncWrites.close();
        unsyncedWrites.close();
        dbOptions.close();
        cfOptions.close();
        stateOptions.close();
        blockCache.close();
    }
}
