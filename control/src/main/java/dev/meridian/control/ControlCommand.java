package dev.meridian.control;

import dev.meridian.core.strong.StrongWrite;
import java.util.OptionalLong;

/** An entry of the control plane's Ratis log. */
sealed interface ControlCommand {

    /**
     * A member's heartbeat. {@code incarnation} and {@code sentNanos} mean something only to the sender's current
     * process: they let it renew its write lease from the send time when it applies its own heartbeat.
     */
    record RecordHeartbeat(String member, long incarnation, long sentNanos, Heartbeat heartbeat)
            implements ControlCommand {}

    /**
     * Makes {@code to} the SQL primary if the epoch is still {@code expectedEpoch}.
     *
     * @param primaryHeartbeatIndex for an automatic failover, the log index of the old primary's last heartbeat
     *     (-1 for none) when the leader judged it silent: the change applies only if no later heartbeat from it
     *     was agreed in between; empty for changes asked for through the API
     */
    record ChangePrimary(String to, long expectedEpoch, boolean planned, OptionalLong primaryHeartbeatIndex)
            implements ControlCommand {}

    /** A write to a strong table, made if no agreed write touched its key after the proposer's read. */
    record AgreeWrite(StrongWrite write) implements ControlCommand {}

    /** Changes nothing: a member that applied it has applied everything agreed before it (a follower's read barrier). */
    record Barrier() implements ControlCommand {}
}
