package dev.meridian.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class QuietPortsTest {
    @Test
    void picksDistinctPortsBelowTheKernelsEphemeralRange() {
        int ephemeralStart = QuietPorts.ephemeralStart();

        List<Integer> ports = QuietPorts.pick(20);

        assertThat(ephemeralStart).isGreaterThan(11_000);
        assertThat(ports).hasSize(20).doesNotHaveDuplicates()
                .allSatisfy(port -> assertThat(port).isBetween(10_000, ephemeralStart - 1));
    }
}
