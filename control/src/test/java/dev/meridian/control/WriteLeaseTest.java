package dev.meridian.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class WriteLeaseTest {
    private final AtomicLong now = new AtomicLong(Long.MAX_VALUE - 2_000); // nanoTime may wrap; the lease must not care
    private final WriteLease lease = new WriteLease(Duration.ofNanos(1_000), now::get);

    @Test
    void startsExpired() {
        assertThat(lease.held()).isFalse();
    }

    @Test
    void lastsItsDurationFromTheSendTimeNotFromTheRenewal() {
        long sent = now.get();
        now.addAndGet(600); // the heartbeat took 600 ns to be agreed
        lease.renew(sent);
        assertThat(lease.held()).isTrue();

        now.addAndGet(399);
        assertThat(lease.held()).isTrue();
        now.addAndGet(1);
        assertThat(lease.held()).isFalse();
    }

    @Test
    void anOlderHeartbeatAppliedLateNeverShortensTheLease() {
        long older = now.get();
        long newer = older + 500;
        now.set(newer);
        lease.renew(newer);
        lease.renew(older);

        now.addAndGet(999);
        assertThat(lease.held()).isTrue();
    }
}
