package dev.meridian.control;

import dev.meridian.control.ControlCommand.ChangePrimary;
import dev.meridian.control.ControlState.AgreedHeartbeat;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On the Ratis leader, replaces an SQL primary whose heartbeats stopped with the eligible standby that has the most
 * WAL. Runs on the commands thread ({@code control-<member>-commands}), which owns its fields and also carries the
 * proposals, so one proposal is under way at a time.
 *
 * <p>Why the old primary has stopped writing before a new one is promoted: the primary takes writes only while
 * its {@link WriteLease} holds, that is for {@code failoverTimeout / 2} after sending a heartbeat the group
 * agreed on, and only once it has applied that heartbeat, so its own copy of the role is at least that recent.
 * This leader proposes a failover only when it last applied a primary heartbeat more than {@code failoverTimeout}
 * ago (and has led for that long, so a new leader gives the primary a full timeout). A heartbeat is applied after
 * it was sent, so the lease it granted ran out at least {@code failoverTimeout / 2} before the proposal. The
 * proposal carries the log index of that last heartbeat and applies only if no later primary heartbeat was agreed
 * in between; any heartbeat agreed after the change reaches the old primary after the change itself, which takes
 * its role away. Clock rates would have to differ by a factor of two to break this. Writers carry
 * {@link SqlRole#epoch()} as the fencing token.
 */
final class FailoverMonitor {
    private static final Logger log = LoggerFactory.getLogger(FailoverMonitor.class);

    private final long timeoutNanos;
    private final long freshNanos;
    private final ControlStateMachine machine;
    private final LongSupplier leaderTerm;
    private final Function<ChangePrimary, SqlRole> propose;
    private final LongSupplier nanoClock;
    /** The term this member leads in, -1 while it does not, and since when (its clock) it has led in it. */
    private long term = -1;
    private long leaderSince;
    /** The epoch a blocked failover was last reported for, so it is logged once rather than at every check. */
    private long warnedEpoch;

    /**
     * @param leaderTerm this member's Raft term while it leads, -1 otherwise
     * @param propose sends a change of primary through Ratis and waits for the outcome
     */
    FailoverMonitor(Duration failoverTimeout, Duration heartbeatInterval, ControlStateMachine machine,
            LongSupplier leaderTerm, Function<ChangePrimary, SqlRole> propose, LongSupplier nanoClock) {
        this.timeoutNanos = failoverTimeout.toNanos();
        this.freshNanos = heartbeatInterval.multipliedBy(3).toNanos();
        this.machine = machine;
        this.leaderTerm = leaderTerm;
        this.propose = propose;
        this.nanoClock = nanoClock;
    }

    void check() {
        long now = nanoClock.getAsLong();
        long currentTerm = leaderTerm.getAsLong();
        if (currentTerm != term) {
            term = currentTerm;
            leaderSince = now;
            return;
        }
        if (term < 0 || now - leaderSince < timeoutNanos) {
            return;
        }
        ControlState state = machine.state();
        String primary = state.role().primary();
        long heardFrom = machine.applied(primary).map(a -> Math.max(a.atNanos(), leaderSince)).orElse(leaderSince);
        if (now - heardFrom <= timeoutNanos) {
            return;
        }
        Optional<String> candidate = candidate(state, now);
        if (candidate.isEmpty()) {
            if (warnedEpoch != state.role().epoch()) {
                warnedEpoch = state.role().epoch();
                log.warn("event=sql_failover_blocked primary={} epoch={} silent_ms={} reason=no_fresh_eligible_standby",
                        primary, state.role().epoch(), Duration.ofNanos(now - heardFrom).toMillis());
            }
            return;
        }
        var change = new ChangePrimary(candidate.get(), state.role().epoch(), false,
                OptionalLong.of(state.heartbeatIndex(primary)));
        try {
            propose.apply(change);
        } catch (ControlException e) {
            // Lost a race with a heartbeat, a planned change or a new leader; the next check looks again.
            log.debug("event=sql_failover_not_applied to={} cause={}", change.to(), e.getMessage());
        }
    }

    /** The eligible member, other than the primary, with a fresh live heartbeat and the highest WAL position. */
    private Optional<String> candidate(ControlState state, long now) {
        return state.heartbeats().entrySet().stream()
                .filter(e -> !e.getKey().equals(state.role().primary()))
                .filter(e -> e.getValue().heartbeat().eligible())
                .filter(e -> machine.applied(e.getKey())
                        .filter(a -> a.ageKnown() && now - a.atNanos() <= freshNanos)
                        .isPresent())
                .max(Comparator.<Map.Entry<String, AgreedHeartbeat>>comparingLong(
                                e -> e.getValue().heartbeat().walLsn())
                        .thenComparing(Map.Entry::getKey, Comparator.reverseOrder()))
                .map(Map.Entry::getKey);
    }
}
