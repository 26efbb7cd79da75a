package dev.meridian.fabric;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.meridian.core.Version;
import dev.meridian.fabric.store.RegionStore;
import dev.meridian.fabric.store.StateKey;
import dev.meridian.fabric.store.StateValue;
import dev.meridian.fabric.wire.Entry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The committer applies a group's replicated batches before its local writes (visible before their fsync); these
 * check that doing so changes nothing but timing: the newer version of a key wins whichever way round it arrived,
 * and every caller gets its own answer.
 */
class CommitPipelineTest {
    private static final String REGION = "us-east-1";
    private static final String ORIGIN = "eu-west-1";
    private static final int KEYS = 200;

    @TempDir
    Path dir;

    @Test
    void aLocalWriteAndAReplicatedOneOfTheSameKeyLeaveTheNewerWhicheverIsQueuedFirst() {
        try (var store = RegionStore.open(dir); var pipeline = committer(store)) {
            var outcomes = new ArrayList<CompletableFuture<Long>>();
            for (int i = 0; i < KEYS; i++) {
                // Even keys: the local write is newer; odd keys: the replicated one. Queued back to back, without
                // waiting, so most pairs share a group, in either order.
                long localTime = 1_000 + (i % 2 == 0 ? 10 : 0);
                long remoteTime = 1_000 + (i % 2 == 0 ? 0 : 10);
                CompletableFuture<Long> local = submitLocal(pipeline, key(i), localTime);
                CompletableFuture<Long> remote = submitRemote(pipeline, i + 1, key(i), remoteTime);
                outcomes.add(i % 3 == 0 ? remote : local);
                outcomes.add(i % 3 == 0 ? local : remote);
            }
            outcomes.forEach(CompletableFuture::join);

            for (int i = 0; i < KEYS; i++) {
                StateValue value = pipeline.state(StateKey.of("items", key(i))).orElseThrow();
                String expected = i % 2 == 0 ? REGION : ORIGIN;
                assertThat(value.version().region()).as("key %d", i).isEqualTo(expected);
                assertThat(new String(value.value(), StandardCharsets.UTF_8)).isEqualTo(expected);
            }
            assertThat(pipeline.head()).isEqualTo(KEYS);
            assertThat(pipeline.watermark(ORIGIN)).isEqualTo(KEYS);
            assertThat(pipeline.applied()).isEqualTo(Map.of(REGION, (long) KEYS, ORIGIN, (long) KEYS));
        }
    }

    @Test
    void eachCallerGetsItsOwnAnswerFromASharedGroup() {
        try (var store = RegionStore.open(dir); var pipeline = committer(store)) {
            var locals = new ArrayList<CompletableFuture<Long>>();
            var remotes = new ArrayList<CompletableFuture<Long>>();
            for (int i = 0; i < 50; i++) {
                locals.add(submitLocal(pipeline, ("local-" + i).getBytes(StandardCharsets.UTF_8), 2_000 + i));
                remotes.add(submitRemote(pipeline, i + 1, ("remote-" + i).getBytes(StandardCharsets.UTF_8), 2_000 + i));
            }
            // A batch that skips sequences is refused alone; the writes queued with it still commit.
            CompletableFuture<Long> gap = submitRemote(pipeline, 500, key(0), 3_000);
            CompletableFuture<Long> after = submitLocal(pipeline, key(1), 3_000);

            for (int i = 0; i < 50; i++) {
                assertThat(locals.get(i).join()).as("log sequence of local write %d", i).isEqualTo(i + 1);
                assertThat(remotes.get(i).join()).as("watermark after replicated batch %d", i).isEqualTo(i + 1);
            }
            assertThat(gap).failsWithin(Duration.ofSeconds(10))
                    .withThrowableOfType(ExecutionException.class)
                    .withCauseInstanceOf(CommitPipeline.GapException.class);
            assertThat(after.join()).isEqualTo(51);
            assertThat(pipeline.watermark(ORIGIN)).isEqualTo(50);
            assertThat(pipeline.applied()).containsEntry(ORIGIN, 50L);
            assertThat(pipeline.state(StateKey.of("items", key(0)))).isEmpty();
        }
    }

    private static CommitPipeline committer(RegionStore store) {
        return new CommitPipeline(store, REGION, List.of(ORIGIN), new Watchers(),
                new FabricMetrics(new SimpleMeterRegistry()), Clock.systemUTC());
    }

    private static CompletableFuture<Long> submitLocal(CommitPipeline pipeline, byte[] key, long timestamp) {
        var value = new StateValue(new Version(timestamp, REGION), false, REGION.getBytes(StandardCharsets.UTF_8));
        return pipeline.submit(new CommitPipeline.LocalWrite(StateKey.of("items", key), value, new CompletableFuture<>()));
    }

    private static CompletableFuture<Long> submitRemote(CommitPipeline pipeline, long seq, byte[] key, long timestamp) {
        Entry entry = Entry.newBuilder()
                .setSeq(seq)
                .setKeyspace("items")
                .setKey(ByteString.copyFrom(key))
                .setTimestamp(timestamp)
                .setOrigin(ORIGIN)
                .setValue(ByteString.copyFromUtf8(ORIGIN))
                .build();
        return pipeline.submit(new CommitPipeline.RemoteBatch(ORIGIN, List.of(entry), 0, new CompletableFuture<>()));
    }

    private static byte[] key(int i) {
        return ("key-" + i).getBytes(StandardCharsets.UTF_8);
    }
}
