package dev.meridian.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class WanEmulatorTest {
    @Test
    void realisticMatrixIsSymmetricAndCloseToRealFigures() {
        DelayMatrix delays = DelayMatrix.realistic();
        assertThat(delays.oneWay("us-east-1", "eu-west-1")).isEqualTo(Duration.ofMillis(40));
        assertThat(delays.oneWay("eu-west-1", "us-east-1")).isEqualTo(Duration.ofMillis(40));
        assertThat(delays.oneWay("ap-southeast-1", "us-east-1")).isEqualTo(Duration.ofMillis(110));
        assertThat(delays.oneWay("eu-west-1", "ap-southeast-1")).isEqualTo(Duration.ofMillis(80));
        assertThat(delays.oneWay("mars-1", "us-east-1")).isEqualTo(DelayMatrix.UNKNOWN_PAIR);
        assertThat(delays.describe(List.of("us-east-1", "eu-west-1"))).isEqualTo("us-east-1<->eu-west-1 40 ms");
    }

    @Test
    void uniformDelayOverridesEveryPair() {
        DelayMatrix delays = DelayMatrix.uniform(Duration.ofMillis(7));
        assertThat(delays.oneWay("us-east-1", "ap-southeast-1")).isEqualTo(Duration.ofMillis(7));
    }

    @Test
    void pairCommandsActOnBothDirections() throws Exception {
        try (var target = new EchoServer(); var wan = new WanEmulator(DelayMatrix.realistic())) {
            WanLink ab = wan.open("us-east-1", "eu-west-1", target.address(), 0);
            WanLink ba = wan.open("eu-west-1", "us-east-1", target.address(), 0);
            assertThat(ab.status().forwardDelay()).isEqualTo(Duration.ofMillis(40));

            wan.cut("eu-west-1", "us-east-1");
            assertThat(List.of(ab.state(), ba.state())).containsOnly(LinkState.CUT);

            wan.heal("us-east-1", "eu-west-1");
            wan.delay("us-east-1", "eu-west-1", 5);
            assertThat(List.of(ab.state(), ba.state())).containsOnly(LinkState.OPEN);
            assertThat(List.of(ab.status().forwardDelay(), ab.status().backwardDelay(), ba.status().forwardDelay(),
                            ba.status().backwardDelay()))
                    .containsOnly(Duration.ofMillis(5));
            assertThat(wan.links()).containsExactly(ba, ab);
        }
    }
}
