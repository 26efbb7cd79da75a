package dev.meridian.fabric;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FabricReplicationTest {
    @TempDir
    Path dir;

    private static byte[] bytes(String s) {
        return s.getBytes(UTF_8);
    }

    private static Optional<String> value(Fabric fabric, String key) {
        return fabric.get("ks", bytes(key)).map(r -> new String(r.value(), UTF_8));
    }

    private static void put(Fabric fabric, String key, String value) {
        fabric.mutate("ks", bytes(key), current -> Mutation.put(bytes(value), null));
    }

    @Test
    void writeInOneRegionAppearsInTheOther() {
        try (var pair = new FabricPair(dir, 1_000_000).start()) {
            put(pair.a, "k1", "v1");
            await().atMost(Duration.ofSeconds(10)).until(() -> value(pair.b, "k1").equals(Optional.of("v1")));
            pair.b.mutate("ks", bytes("k1"), current -> Mutation.delete(null));
            await().atMost(Duration.ofSeconds(10)).until(() -> value(pair.a, "k1").isEmpty());
        }
    }

    @Test
    void conflictingWritesConvergeToTheHigherVersion() {
        try (var pair = new FabricPair(dir, 1_000_000).start()) {
            for (int i = 0; i < 200; i++) {
                put(pair.a, "k" + (i % 7), "a" + i);
                put(pair.b, "k" + (i % 7), "b" + i);
            }
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                for (int k = 0; k < 7; k++) {
                    var inA = pair.a.get("ks", bytes("k" + k)).orElseThrow();
                    var inB = pair.b.get("ks", bytes("k" + k)).orElseThrow();
                    assertThat(inB.version()).isEqualTo(inA.version());
                    assertThat(inB.value()).isEqualTo(inA.value());
                }
            });
        }
    }

    @Test
    void aClockFarAheadStillLosesToNothingAndEveryoneAgrees() {
        Clock ahead = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(5));
        try (var pair = new FabricPair(dir, 1_000_000)) {
            pair.a = pair.open("region-a", pair.portA, "region-b", pair.portB, ahead);
            pair.b = pair.open("region-b", pair.portB, "region-a", pair.portA, Clock.systemUTC());
            put(pair.a, "k", "from-a");
            await().atMost(Duration.ofSeconds(10)).until(() -> value(pair.b, "k").isPresent());
            // b's clock observed a's timestamp, so b's later write must win everywhere
            put(pair.b, "k", "from-b-later");
            await().atMost(Duration.ofSeconds(10)).until(() -> value(pair.a, "k").equals(Optional.of("from-b-later")));
            assertThat(value(pair.b, "k")).contains("from-b-later");
        }
    }

    @Test
    void senderResumesAfterThePeerRestarts() {
        try (var pair = new FabricPair(dir, 1_000_000).start()) {
            put(pair.a, "before", "1");
            await().atMost(Duration.ofSeconds(10)).until(() -> value(pair.b, "before").isPresent());
            pair.b.close();
            for (int i = 0; i < 300; i++) {
                put(pair.a, "during-" + i, "x");
            }
            pair.b = pair.open("region-b", pair.portB, "region-a", pair.portA, Clock.systemUTC());
            await().atMost(Duration.ofSeconds(20)).until(() -> pair.b.status().applied().get("region-a") == pair.a.status().headSeq());
            for (int i = 0; i < 300; i++) {
                assertThat(value(pair.b, "during-" + i)).contains("x");
            }
        }
    }

    @Test
    void aPeerBeyondRetentionIsResyncedFromASnapshot() {
        try (var pair = new FabricPair(dir, 50).start()) {
            put(pair.a, "old", "1");
            await().atMost(Duration.ofSeconds(10)).until(() -> value(pair.b, "old").isPresent());
            pair.b.close();
            for (int i = 0; i < 400; i++) {
                put(pair.a, "k" + i, "v" + i);
            }
            pair.a.mutate("ks", bytes("old"), current -> Mutation.delete(null));
            await().atMost(Duration.ofSeconds(10)).until(() -> pair.a.status().peers().get(0).beyondRetention());
            assertThat(pair.a.status().firstSeq()).isGreaterThan(2);
            pair.b = pair.open("region-b", pair.portB, "region-a", pair.portA, Clock.systemUTC());
            await().atMost(Duration.ofSeconds(20)).until(() -> pair.b.status().applied().get("region-a") == pair.a.status().headSeq());
            for (int i = 0; i < 400; i++) {
                assertThat(value(pair.b, "k" + i)).contains("v" + i);
            }
            assertThat(value(pair.b, "old")).isEmpty();
            assertThat(pair.a.status().peers().get(0).beyondRetention()).isFalse();
        }
    }
}
