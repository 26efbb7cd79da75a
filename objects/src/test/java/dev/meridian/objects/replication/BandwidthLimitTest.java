package dev.meridian.objects.replication;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

class BandwidthLimitTest {
    @Test
    void readsAreSlowedToTheConfiguredRate() throws IOException {
        var limit = new BandwidthLimit(1024 * 1024);
        long start = System.nanoTime();

        try (InputStream in = limit.throttle(new ByteArrayInputStream(new byte[512 * 1024]))) {
            assertThat(in.readAllBytes()).hasSize(512 * 1024);
        }

        assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(450);
    }

    @Test
    void zeroMeansUnlimited() {
        InputStream in = new ByteArrayInputStream(new byte[1]);

        assertThat(new BandwidthLimit(0).throttle(in)).isSameAs(in);
    }
}
