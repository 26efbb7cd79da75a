package dev.meridian.control;

import dev.meridian.control.ControlCommand.ChangePrimary;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The agreed state every member rebuilds from the log: the SQL role, each member's last heartbeat, the last change
 * of primary. Immutable; applying an entry makes a new state, so every member that applies the same entries holds
 * the same value.
 *
 * @param heartbeats each member's last heartbeat, with the log index it was agreed at
 */
record ControlState(SqlRole role, Map<String, AgreedHeartbeat> heartbeats, Optional<Failover> lastFailover) {

    /** A member's heartbeat and the index of the log entry that carried it. */
    record AgreedHeartbeat(long index, Heartbeat heartbeat) {}

    ControlState {
        heartbeats = Map.copyOf(heartbeats);
    }

    static ControlState initial(String primary) {
        return new ControlState(new SqlRole(primary, 1), Map.of(), Optional.empty());
    }

    ControlState withHeartbeat(String member, long index, Heartbeat heartbeat) {
        var next = new HashMap<>(heartbeats);
        next.put(member, new AgreedHeartbeat(index, heartbeat));
        return new ControlState(role, next, lastFailover);
    }

    /** The log index of {@code member}'s last heartbeat, -1 if it never sent one. */
    long heartbeatIndex(String member) {
        AgreedHeartbeat last = heartbeats.get(member);
        return last == null ? -1 : last.index();
    }

    /** Why {@code change} must not apply to this state, or empty when it may. */
    Optional<String> rejection(ChangePrimary change) {
        if (change.expectedEpoch() != role.epoch()) {
            return Optional.of("the SQL role is at epoch " + role.epoch() + " (primary " + role.primary()
                    + "), not the expected epoch " + change.expectedEpoch());
        }
        if (change.to().equals(role.primary())) {
            return Optional.of(change.to() + " is already the SQL primary at epoch " + role.epoch());
        }
        AgreedHeartbeat target = heartbeats.get(change.to());
        if (target == null || !target.heartbeat().eligible()) {
            return Optional.of(change.to() + " has not reported itself eligible for promotion"
                    + " (a running, streaming standby)");
        }
        if (change.primaryHeartbeatIndex().isPresent()
                && change.primaryHeartbeatIndex().getAsLong() != heartbeatIndex(role.primary())) {
            return Optional.of("primary " + role.primary() + " sent a heartbeat after it was judged silent");
        }
        return Optional.empty();
    }

    /** This state with {@code change} applied; call only when {@link #rejection} is empty. */
    ControlState promote(ChangePrimary change) {
        var role = new SqlRole(change.to(), this.role.epoch() + 1);
        var failover = new Failover(this.role.primary(), change.to(), role.epoch(), walLsn(this.role.primary()),
                walLsn(change.to()), change.planned());
        return new ControlState(role, heartbeats, Optional.of(failover));
    }

    private long walLsn(String member) {
        AgreedHeartbeat last = heartbeats.get(member);
        return last == null ? -1 : last.heartbeat().walLsn();
    }
}
