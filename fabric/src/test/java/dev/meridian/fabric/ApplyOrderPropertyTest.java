package dev.meridian.fabric;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.meridian.core.Version;
import dev.meridian.fabric.store.RegionStore;
import dev.meridian.fabric.store.StateIterator;
import dev.meridian.fabric.wire.Entry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Whatever order the three origins' batches arrive in, and however often a batch is delivered again, every
 * replica ends with byte-identical state: the fabric's convergence rule, checked on the real store and committer.
 */
class ApplyOrderPropertyTest {
    private static final List<String> ORIGINS = List.of("us-east-1", "eu-west-1", "ap-southeast-1");

    @Property(tries = 25)
    void anyDeliveryOrderWithDuplicatesConvergesToTheSameState(
            @ForAll long seed, @ForAll @IntRange(min = 1, max = 120) int writesPerOrigin) throws Exception {
        Map<String, List<List<Entry>>> batches = writes(new Random(seed), writesPerOrigin);
        Map<String, String> first = null;
        for (int replica = 0; replica < 3; replica++) {
            Map<String, String> state = applyShuffled(batches, new Random(seed * 31 + replica));
            if (first == null) {
                first = state;
            } else {
                assertThat(state).isEqualTo(first);
            }
        }
        assertThat(first).isNotEmpty();
    }

    /** Random puts and deletes over a few hot keys, with timestamps that collide across origins. */
    private static Map<String, List<List<Entry>>> writes(Random random, int perOrigin) {
        var out = new HashMap<String, List<List<Entry>>>();
        for (String origin : ORIGINS) {
            var batches = new ArrayList<List<Entry>>();
            var batch = new ArrayList<Entry>();
            for (int seq = 1; seq <= perOrigin; seq++) {
                boolean delete = random.nextInt(5) == 0;
                batch.add(Entry.newBuilder()
                        .setSeq(seq)
                        .setKeyspace("ks")
                        .setKey(ByteString.copyFromUtf8("key-" + random.nextInt(6)))
                        .setTimestamp(1_000 + random.nextInt(50)) // collisions exercise the region tiebreak
                        .setOrigin(origin)
                        .setTombstone(delete)
                        .setValue(delete ? ByteString.EMPTY : ByteString.copyFromUtf8(origin + "-" + seq))
                        .build());
                if (batch.size() == 1 + random.nextInt(8) || seq == perOrigin) {
                    batches.add(List.copyOf(batch));
                    batch.clear();
                }
            }
            out.put(origin, batches);
        }
        return out;
    }

    /** Interleaves the origins' batches at random, re-delivering some earlier batches, and returns the final state. */
    private static Map<String, String> applyShuffled(Map<String, List<List<Entry>>> batches, Random random)
            throws IOException {
        Path dir = Files.createTempDirectory("apply-order");
        try (var store = RegionStore.open(dir);
                var pipeline = new CommitPipeline(store, "observer", ORIGINS, new Watchers(),
                        new FabricMetrics(new SimpleMeterRegistry()), Clock.systemUTC())) {
            var next = new HashMap<String, Integer>();
            ORIGINS.forEach(o -> next.put(o, 0));
            var pending = new ArrayList<>(ORIGINS);
            while (!pending.isEmpty()) {
                String origin = pending.get(random.nextInt(pending.size()));
                int index = next.get(origin);
                int deliver = index > 0 && random.nextInt(4) == 0 ? random.nextInt(index) : index; // a duplicate
                pipeline.submit(new CommitPipeline.RemoteBatch(origin, batches.get(origin).get(deliver), 0,
                        new CompletableFuture<>())).join();
                if (deliver == index) {
                    next.put(origin, index + 1);
                    if (index + 1 == batches.get(origin).size()) {
                        pending.remove(origin);
                    }
                }
            }
            for (String origin : ORIGINS) {
                List<List<Entry>> all = batches.get(origin);
                List<Entry> last = all.get(all.size() - 1);
                assertThat(pipeline.watermark(origin)).isEqualTo(last.get(last.size() - 1).getSeq());
            }
            var state = new HashMap<String, String>();
            try (StateIterator it = store.iterate(null, null, false)) {
                it.forEachRemaining(e -> state.put(Arrays.toString(e.stateKey()),
                        describe(e.value().version(), e.value().tombstone(), e.value().value())));
            }
            return state;
        } finally {
            try (var paths = Files.walk(dir)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static String describe(Version version, boolean tombstone, byte[] value) {
        return version + (tombstone ? " tombstone" : " " + new String(value, java.nio.charset.StandardCharsets.UTF_8));
    }
}
