package dev.meridian.gateway.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DnsSettingsTest {

    @Test
    void zoneWithoutTrailingDotGetsOne() {
        assertThat(new DnsSettings("meridian.local", "127.0.0.1", 0).zone()).isEqualTo("meridian.local.");
        assertThat(new DnsSettings("meridian.local.", "127.0.0.1", 0).zone()).isEqualTo("meridian.local.");
    }

    @Test
    void ttlDefaultsToFiveSeconds() {
        assertThat(new DnsSettings("meridian.local", "127.0.0.1", 0).ttl()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void settingsDnsCannotCarryAreRejected() {
        assertThatThrownBy(() -> new DnsSettings(".", "127.0.0.1", 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DnsSettings("bad..zone", "127.0.0.1", 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DnsSettings("meridian.local", "127.0.0.1", 65_536))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DnsSettings("meridian.local", "127.0.0.1", 0, Duration.ofMillis(1_500)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DnsSettings("meridian.local", "127.0.0.1", 0, Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
