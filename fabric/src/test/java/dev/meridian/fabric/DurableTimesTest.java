package dev.meridian.fabric;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DurableTimesTest {
    @Test
    void eachSequenceGetsTheTimeOfTheGroupThatCommittedIt() {
        var times = new DurableTimes(10);
        times.record(12, 1_000); // entries 11-12
        times.record(13, 2_000); // entry 13
        times.record(20, 3_000); // entries 14-20

        assertThat(times.of(10)).as("committed before the process started").isZero();
        assertThat(times.of(11)).isEqualTo(1_000);
        assertThat(times.of(12)).isEqualTo(1_000);
        assertThat(times.of(13)).isEqualTo(2_000);
        assertThat(times.of(14)).isEqualTo(3_000);
        assertThat(times.of(20)).isEqualTo(3_000);
        assertThat(times.of(21)).as("not committed yet").isZero();
    }

    @Test
    void groupsTheRingDroppedAreUnknown() {
        var times = new DurableTimes(0);
        int groups = 1 << 16;
        for (int g = 1; g <= groups + 5; g++) {
            times.record(g * 2L, g); // each group commits two entries
        }

        assertThat(times.of(2)).as("dropped").isZero();
        // groups 6 .. groups+5 are kept; group 6 (entries 11-12) is the oldest, so where it starts is unknown
        assertThat(times.of(12)).as("in the oldest group kept").isZero();
        assertThat(times.of(13)).isEqualTo(7);
        assertThat(times.of(14)).isEqualTo(7);
        assertThat(times.of(15)).isEqualTo(8);
        assertThat(times.of(2L * (groups + 5))).isEqualTo(groups + 5);
    }
}
