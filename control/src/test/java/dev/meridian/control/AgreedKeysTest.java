package dev.meridian.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.core.strong.StrongWrite;
import dev.meridian.core.strong.Verdict;
import org.junit.jupiter.api.Test;

class AgreedKeysTest {
    private final AgreedKeys keys = new AgreedKeys();

    private static StrongWrite write(String key, long readIndex, long timestamp, String region) {
        return new StrongWrite("items/t", key.getBytes(), new byte[] {1}, readIndex, timestamp, region);
    }

    @Test
    void aWriteReadBeforeTheKeysLastAgreedWriteIsRefused() {
        assertThat(keys.decide(write("a", 0, 100, "us-east-1"), 5).verdict()).isEqualTo(new Verdict(true, 5, 5));
        // Proposed by a region that had applied only up to 4: it decided without seeing index 5.
        assertThat(keys.decide(write("a", 4, 200, "eu-west-1"), 6).verdict()).isEqualTo(new Verdict(false, 6, 5));
        assertThat(keys.decide(write("a", 5, 200, "eu-west-1"), 7).verdict()).isEqualTo(new Verdict(true, 7, 7));
    }

    @Test
    void otherKeysDoNotConflict() {
        keys.decide(write("a", 0, 100, "us-east-1"), 5);
        assertThat(keys.decide(write("b", 0, 100, "eu-west-1"), 6).verdict().accepted()).isTrue();
    }

    @Test
    void timestampsFollowLogOrderWhateverTheProposersClocksSay() {
        AgreedKeys.Decision first = keys.decide(write("a", 0, 1_000, "us-east-1"), 1);
        // A proposer whose clock is behind still writes a newer version: last-writer-wins keeps log order.
        AgreedKeys.Decision second = keys.decide(write("a", 1, 10, "eu-west-1"), 2);
        assertThat(first.timestamp()).isEqualTo(1_000);
        assertThat(second.timestamp()).isEqualTo(1_001);
        assertThat(keys.decide(write("a", 2, 5_000, "us-east-1"), 3).timestamp()).isEqualTo(5_000);
    }
}
