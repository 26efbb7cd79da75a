package dev.meridian.gateway.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.RemovalCause;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.ResponseHeaders;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The memory and disk tiers. Every stored response has its body in a file under the cache directory (the
 * disk tier); small ones also keep a copy on the heap (the memory tier), which is looked at first.
 * Lookups happen on any thread; every change — commit, refresh, invalidation, eviction and the file
 * deletions that follow — runs on the single {@code edge-cache-writer} thread, so an invalidation can never
 * interleave with a commit that would bring back what it dropped.
 */
final class TieredStore implements AutoCloseable {
    /** What a stored response costs beyond its body: key, headers, bookkeeping. */
    private static final int ENTRY_OVERHEAD_BYTES = 512;
    private static final String BODY_SUFFIX = ".body";
    private static final String PART_SUFFIX = ".part";

    private final CacheSettings settings;
    private final Clock clock;
    private final ExecutorService writer;
    private final Cache<CacheKey, CachedResponse> memory;
    private final Cache<CacheKey, CachedResponse> disk;
    /** The Vary header names last seen for each URL, needed to build the key before a response is at hand. */
    private final Cache<CacheKey, List<String>> varyNames;
    private final AtomicLong fileNumbers = new AtomicLong();
    /** Bumped by each invalidation; a fill begun before one is not stored, its content may be what was dropped. */
    private final AtomicLong generation = new AtomicLong();

    TieredStore(CacheSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        deleteOwnFiles(settings.directory());
        writer = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "edge-cache-writer");
            thread.setDaemon(true);
            return thread;
        });
        Expiry<CacheKey, CachedResponse> keep = Expiry.writing(
                (key, response) -> Duration.ofMillis(response.freshness().keepMillis(clock.millis())));
        memory = Caffeine.newBuilder()
                .maximumWeight(settings.memoryBytes())
                .weigher(TieredStore::weigh)
                .expireAfter(keep)
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
                .executor(writer)
                .build();
        disk = Caffeine.newBuilder()
                .maximumWeight(settings.diskBytes())
                .weigher(TieredStore::weigh)
                .expireAfter(keep)
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
                .executor(writer)
                .removalListener((CacheKey key, CachedResponse response, RemovalCause cause) ->
                        ((DiskBody) response.body()).release())
                .build();
        varyNames = Caffeine.newBuilder().maximumSize(100_000).build();
    }

    /** The key a request's response is (or would be) stored under, with the Vary names known for its URL. */
    CacheKey keyFor(RequestHeaders request) {
        CacheKey url = CacheKey.of(request, List.of());
        List<String> names = varyNames.getIfPresent(url);
        return names == null ? url : CacheKey.of(request, names);
    }

    Optional<CachedResponse> lookup(CacheKey key) {
        CachedResponse inMemory = memory.getIfPresent(key);
        return inMemory != null ? Optional.of(inMemory) : Optional.ofNullable(disk.getIfPresent(key));
    }

    long generation() {
        return generation.get();
    }

    /** A recorder for one response body, writing its temporary file on {@code fileWriter}. */
    BodyRecorder recorder(Executor fileWriter, Runnable onAbandon) {
        Path tempFile = settings.directory().resolve(fileNumbers.incrementAndGet() + PART_SUFFIX);
        return new BodyRecorder(tempFile, settings.memoryObjectBytes(), settings.maxObjectBytes(), fileWriter, onAbandon);
    }

    /**
     * Stores a recorded response once its last byte is recorded; completes with what was stored, or empty when the
     * body is incomplete, not storable or an invalidation came after the fill began ({@code fillGeneration}).
     */
    CompletableFuture<Optional<CachedResponse>> commit(CacheKey key, ResponseHeaders headers, Freshness freshness,
            BodyRecorder recorder, OptionalLong contentLength, long fillGeneration) {
        return CompletableFuture.supplyAsync(() -> {
            Optional<BodyRecorder.Recorded> recorded = recorder.finish(contentLength);
            if (recorded.isEmpty()) {
                return Optional.empty();
            }
            if (fillGeneration != generation.get()) {
                recorder.discard();
                return Optional.empty();
            }
            Path file = settings.directory().resolve(fileNumbers.incrementAndGet() + BODY_SUFFIX);
            try {
                Files.move(recorded.get().tempFile(), file, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                recorder.discard();
                return Optional.empty();
            }
            CachedResponse onDisk = new CachedResponse(key, headers, new DiskBody(file, recorded.get().length()), freshness);
            disk.put(key, onDisk);
            Optional<CachedResponse> inMemory = recorded.get().bytes().map(bytes -> onDisk.withBody(new MemoryBody(bytes)));
            inMemory.ifPresentOrElse(response -> memory.put(key, response), () -> memory.invalidate(key));
            List<String> names = CachedResponse.varyNames(headers);
            if (names.isEmpty()) {
                varyNames.invalidate(key.url());
            } else {
                varyNames.put(key.url(), names);
            }
            return Optional.of(inMemory.orElse(onDisk));
        }, writer);
    }

    /** Replaces a revalidated copy in both tiers by its refreshed version, which keeps the same body. */
    CompletableFuture<Void> refresh(CachedResponse revalidated, CachedResponse refreshed, long fillGeneration) {
        return CompletableFuture.runAsync(() -> {
            if (fillGeneration != generation.get()) {
                return;
            }
            CachedResponse inMemory = memory.getIfPresent(revalidated.key());
            if (inMemory != null && inMemory.freshness().equals(revalidated.freshness())) {
                memory.put(revalidated.key(), refreshed.withBody(inMemory.body()));
            }
            CachedResponse onDisk = disk.getIfPresent(revalidated.key());
            if (onDisk != null && onDisk.freshness().equals(revalidated.freshness())
                    && ((DiskBody) onDisk.body()).retain()) {
                disk.put(revalidated.key(), refreshed.withBody(onDisk.body()));
            }
        }, writer);
    }

    /** Drops one key from both tiers, e.g. when the origin stopped letting it be stored. */
    void remove(CacheKey key) {
        writer.execute(() -> {
            memory.invalidate(key);
            disk.invalidate(key);
        });
    }

    /** Drops every entry whose path matches a pattern; completes with how many keys were dropped. */
    CompletableFuture<Integer> invalidate(List<PathPattern> patterns) {
        return CompletableFuture.supplyAsync(() -> {
            generation.incrementAndGet();
            Set<CacheKey> dropped = new HashSet<>();
            for (Cache<CacheKey, CachedResponse> tier : List.of(memory, disk)) {
                for (CacheKey key : Set.copyOf(tier.asMap().keySet())) {
                    if (patterns.stream().anyMatch(pattern -> pattern.matches(key.path()))) {
                        tier.invalidate(key);
                        dropped.add(key);
                    }
                }
            }
            return dropped.size();
        }, writer);
    }

    long memoryBytes() {
        return memory.policy().eviction().orElseThrow().weightedSize().orElse(0);
    }

    long diskBytes() {
        return disk.policy().eviction().orElseThrow().weightedSize().orElse(0);
    }

    /** Runs pending evictions and expirations now, on the writer thread; for tests and gauges that must be exact. */
    CompletableFuture<Void> settle() {
        return CompletableFuture.runAsync(() -> {
            memory.cleanUp();
            disk.cleanUp();
        }, writer);
    }

    @Override
    public void close() {
        writer.shutdown();
        try {
            if (!writer.awaitTermination(10, TimeUnit.SECONDS)) {
                writer.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        deleteOwnFiles(settings.directory());
    }

    private static int weigh(CacheKey key, CachedResponse response) {
        return (int) Math.min(Integer.MAX_VALUE, response.body().length() + ENTRY_OVERHEAD_BYTES);
    }

    /** Bodies need not survive a restart; only this cache's own files are touched, whatever else the directory holds. */
    private static void deleteOwnFiles(Path directory) {
        try {
            Files.createDirectories(directory);
            try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*{" + BODY_SUFFIX + "," + PART_SUFFIX + "}")) {
                for (Path file : files) {
                    Files.deleteIfExists(file);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clean the cache directory " + directory, e);
        }
    }
}
