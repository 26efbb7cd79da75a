package dev.meridian.sql.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LsnTest {
    @Test
    void parsesPrintsAndOrdersAsPostgresDoes() {
        Lsn lsn = Lsn.parse("16/B374D848");
        assertThat(lsn.bytes()).isEqualTo(0x16L << 32 | 0xB374D848L);
        assertThat(lsn).hasToString("16/B374D848");
        assertThat(Lsn.parse("0/0").isBefore(lsn)).isTrue();
        assertThat(Lsn.parse("16/B374D849")).isGreaterThan(lsn);
        assertThat(Lsn.parse("FFFFFFFF/FFFFFFFF")).isGreaterThan(lsn); // unsigned
    }

    @Test
    void refusesWhatIsNotAPosition() {
        for (String bad : new String[] {"", "16", "/1", "1/", "x/1", "100000000/0"}) {
            assertThatThrownBy(() -> Lsn.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
