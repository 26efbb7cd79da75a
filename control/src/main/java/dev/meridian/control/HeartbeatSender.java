package dev.meridian.control;

import dev.meridian.control.ControlCommand.RecordHeartbeat;
import java.io.IOException;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.ratis.client.RaftClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Proposes this member's heartbeat through Ratis, on the heartbeat thread ({@code control-<member>-heartbeat}),
 * one at a time: each send waits for the majority or gives up after the lease duration, when it could no longer
 * renew anything. A heartbeat that commits renews the write lease when this member applies it
 * (see {@link ControlStateMachine}).
 */
final class HeartbeatSender {
    private static final Logger log = LoggerFactory.getLogger(HeartbeatSender.class);

    private final String member;
    private final long incarnation;
    private final Supplier<Heartbeat> source;
    private final RaftClient client;
    private final LongSupplier nanoClock;

    HeartbeatSender(String member, long incarnation, Supplier<Heartbeat> source, RaftClient client,
            LongSupplier nanoClock) {
        this.member = member;
        this.incarnation = incarnation;
        this.source = source;
        this.client = client;
        this.nanoClock = nanoClock;
    }

    void send() {
        // Read the clock first: a lease counted from before the real send is only shorter, never longer.
        long sentNanos = nanoClock.getAsLong();
        var heartbeat = new RecordHeartbeat(member, incarnation, sentNanos, source.get());
        try {
            client.io().send(ControlCodec.encode(heartbeat));
        } catch (IOException | RuntimeException e) { // a client closing under a send fails unchecked, too
            log.debug("event=control_heartbeat_failed member={} cause={}", member, e.toString());
        }
    }
}
