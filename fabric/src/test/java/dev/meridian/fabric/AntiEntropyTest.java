package dev.meridian.fabric;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meridian.core.Version;
import dev.meridian.fabric.antientropy.AntiEntropy;
import dev.meridian.fabric.store.RegionStore;
import dev.meridian.fabric.store.StateKey;
import dev.meridian.fabric.store.StateValue;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.WriteBatch;

/**
 * Divergence the change logs cannot see (a region's store damaged behind the fabric's back) is found by comparing
 * Merkle digests and mended from the peer, in both directions.
 */
class AntiEntropyTest {
    @TempDir
    Path dir;

    @Test
    void differencesTheLogsCannotSeeAreFoundAndRepaired() {
        try (var pair = new FabricPair(dir, 1_000_000).start()) {
            for (int i = 0; i < 300; i++) {
                put(pair.a, "k" + i, "v" + i);
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> value(pair.b, "k299").equals(Optional.of("v299")));
            assertThat(pair.b.repair()).singleElement().satisfies(round -> {
                assertThat(round.leavesDiffering()).isZero();
                assertThat(round.error()).isNull();
            });

            // Behind the fabric's back: B loses two writes (an old tombstone, an old value) and gains a key A lacks.
            pair.b.close();
            try (RegionStore store = RegionStore.open(dir.resolve("region-b").resolve("fabric"));
                    WriteBatch batch = new WriteBatch()) {
                Version ancient = new Version(1L << 16, "region-b");
                store.putState(batch, StateKey.of("ks", bytes("k7")), StateValue.tombstone(ancient));
                store.putState(batch, StateKey.of("ks", bytes("k42")), new StateValue(ancient, false, bytes("stale")));
                store.putState(batch, StateKey.of("ks", bytes("only-b")),
                        new StateValue(new Version(System.currentTimeMillis() << 16, "region-b"), false, bytes("b!")));
                store.writeDurably(batch);
            }
            pair.b = pair.open("region-b", pair.portB, "region-a", pair.portA, Clock.systemUTC());
            assertThat(value(pair.b, "k7")).isEmpty();
            assertThat(value(pair.b, "k42")).contains("stale");

            List<AntiEntropy.Round> fromA = pair.b.repair();
            assertThat(fromA).singleElement().satisfies(round -> {
                assertThat(round.peer()).isEqualTo("region-a");
                assertThat(round.leavesDiffering()).isBetween(1, 3);
                assertThat(round.entriesPulled()).isPositive().isLessThan(30); // a few key ranges, not everything
            });
            assertThat(value(pair.b, "k7")).contains("v7");
            assertThat(value(pair.b, "k42")).contains("v42");

            assertThat(value(pair.a, "only-b")).isEmpty();
            pair.a.repair();
            assertThat(value(pair.a, "only-b")).contains("b!");

            assertThat(pair.a.repair()).singleElement().satisfies(round -> assertThat(round.leavesDiffering()).isZero());
            assertThat(pair.b.repair()).singleElement().satisfies(round -> assertThat(round.leavesDiffering()).isZero());
        }
    }

    @Test
    void anUnreachablePeerIsReportedNotFatal() {
        try (var pair = new FabricPair(dir, 1_000_000).start()) {
            pair.a.close();
            pair.a = null;
            assertThat(pair.b.repair()).singleElement().satisfies(round -> assertThat(round.error()).contains("UNAVAILABLE"));
        }
    }

    private static void put(Fabric fabric, String key, String value) {
        fabric.mutate("ks", bytes(key), current -> Mutation.put(bytes(value), null));
    }

    private static Optional<String> value(Fabric fabric, String key) {
        return fabric.get("ks", bytes(key)).map(r -> new String(r.value(), UTF_8));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(UTF_8);
    }
}
