package dev.meridian.fabric;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
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
    void mutateEachCommitsEveryKeyAndReplicatesThem() {
        try (var pair = new FabricPair(dir, 1_000_000).start()) {
            put(pair.a, "old", "x");
            var changes = new ArrayList<KeyChange<String>>();
            for (int i = 0; i < 25; i++) {
                String value = "v" + i;
                changes.add(new KeyChange<>("ks", bytes("k" + i), current -> Mutation.put(bytes(value), value)));
            }
            changes.add(new KeyChange<>("ks", bytes("old"), current -> Mutation.delete("deleted")));
            changes.add(new KeyChange<>("ks", bytes("absent"), current -> Mutation.keep("kept")));

            var outcomes = pair.a.mutateEach(changes);

            assertThat(outcomes).allMatch(f -> f.isDone() && !f.isCompletedExceptionally());
            assertThat(outcomes.get(3).join()).isEqualTo("v3");
            assertThat(outcomes.get(26).join()).isEqualTo("kept");
            assertThat(value(pair.a, "k24")).contains("v24");
            await().atMost(Duration.ofSeconds(10)).until(() -> value(pair.b, "k24").equals(Optional.of("v24"))
                    && value(pair.b, "old").isEmpty());
            for (int i = 0; i < 25; i++) {
                assertThat(value(pair.b, "k" + i)).contains("v" + i);
            }
        }
    }

    @Test
    void mutateEachWritesNothingWhenOneDecisionThrows() {
        try (var pair = new FabricPair(dir, 1_000_000).start()) {
            long head = pair.a.status().headSeq();
            var changes = List.<KeyChange<String>>of(
                    new KeyChange<>("ks", bytes("a"), current -> Mutation.put(bytes("1"), "ok")),
                    new KeyChange<>("ks", bytes("b"), current -> {
                        throw new IllegalArgumentException("refused");
                    }));

            assertThatThrownBy(() -> pair.a.mutateEach(changes))
                    .hasMessage("refused");
            assertThat(value(pair.a, "a")).isEmpty();
            assertThat(pair.a.status().headSeq()).isEqualTo(head);
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
