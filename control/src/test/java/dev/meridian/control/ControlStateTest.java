package dev.meridian.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.control.ControlCommand.ChangePrimary;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ControlStateTest {
    private static final ControlState STATE = ControlState.initial("a")
            .withHeartbeat("a", 7, new Heartbeat(900, false))
            .withHeartbeat("b", 8, new Heartbeat(850, true))
            .withHeartbeat("c", 9, new Heartbeat(-1, false));

    @Test
    void promotionBumpsTheEpochAndRecordsBothWalPositions() {
        var change = new ChangePrimary("b", 1, false, OptionalLong.of(7));

        assertThat(STATE.rejection(change)).isEmpty();
        ControlState next = STATE.promote(change);

        assertThat(next.role()).isEqualTo(new SqlRole("b", 2));
        assertThat(next.lastFailover()).contains(new Failover("a", "b", 2, 900, 850, false));
        assertThat(next.lastFailover().orElseThrow().rpoBytesEstimate()).isEqualTo(50);
        assertThat(next.heartbeats()).isEqualTo(STATE.heartbeats());
    }

    @Test
    void changeAtAnotherEpochIsRejected() {
        assertThat(STATE.rejection(new ChangePrimary("b", 2, true, OptionalLong.empty())))
                .contains("the SQL role is at epoch 1 (primary a), not the expected epoch 2");
    }

    @Test
    void onlyAMemberThatReportedItselfEligibleIsPromoted() {
        assertThat(STATE.rejection(new ChangePrimary("c", 1, true, OptionalLong.empty())))
                .contains("c has not reported itself eligible for promotion (a running, streaming standby)");
        assertThat(STATE.rejection(new ChangePrimary("d", 1, true, OptionalLong.empty())))
                .contains("d has not reported itself eligible for promotion (a running, streaming standby)");
        assertThat(STATE.rejection(new ChangePrimary("a", 1, true, OptionalLong.empty())))
                .contains("a is already the SQL primary at epoch 1");
    }

    @Test
    void automaticFailoverIsRejectedOnceThePrimaryHeartbeatsAgain() {
        ControlState heardAgain = STATE.withHeartbeat("a", 12, new Heartbeat(950, false));

        assertThat(heardAgain.rejection(new ChangePrimary("b", 1, false, OptionalLong.of(7))))
                .contains("primary a sent a heartbeat after it was judged silent");
        assertThat(heardAgain.rejection(new ChangePrimary("b", 1, false, OptionalLong.of(12)))).isEmpty();
    }

    @Test
    void rpoEstimateIsZeroWhenAPositionIsUnknownOrTheNewPrimaryIsAhead() {
        assertThat(new Failover("a", "b", 2, -1, 10, false).rpoBytesEstimate()).isZero();
        assertThat(new Failover("a", "b", 2, 10, 20, false).rpoBytesEstimate()).isZero();
    }
}
