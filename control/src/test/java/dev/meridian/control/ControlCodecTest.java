package dev.meridian.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.control.ControlCommand.ChangePrimary;
import dev.meridian.control.ControlCommand.RecordHeartbeat;
import java.io.ByteArrayInputStream;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ControlCodecTest {
    @Test
    void commandsSurviveTheLog() {
        var heartbeat = new RecordHeartbeat("eu-west-1", -42, 123_456_789, new Heartbeat(0x1_6B37_4D48L, true));
        var automatic = new ChangePrimary("ap-southeast-1", 3, false, OptionalLong.of(77));
        var planned = new ChangePrimary("us-east-1", 4, true, OptionalLong.empty());

        for (ControlCommand command : new ControlCommand[] {heartbeat, automatic, planned}) {
            assertThat(ControlCodec.decodeCommand(ControlCodec.encode(command).getContent())).isEqualTo(command);
        }
    }

    @Test
    void repliesCarryTheNewRoleOrTheReason() {
        var role = new SqlRole("eu-west-1", 5);
        assertThat(ControlCodec.changeOutcome(ControlCodec.changed(role).getContent())).isEqualTo(role);
        assertThatThrownBy(() -> ControlCodec.changeOutcome(ControlCodec.rejected("epoch moved").getContent()))
                .isInstanceOf(ControlException.class)
                .hasMessage("epoch moved");
    }

    @Test
    void snapshotRestoresTheWholeState() {
        ControlState state = ControlState.initial("a")
                .withHeartbeat("a", 3, new Heartbeat(100, false))
                .withHeartbeat("b", 4, new Heartbeat(90, true));
        ControlState promoted = state.promote(new ChangePrimary("b", 1, true, OptionalLong.empty()));

        for (ControlState original : new ControlState[] {ControlState.initial("a"), state, promoted}) {
            byte[] bytes = ControlCodec.encodeState(original);
            assertThat(ControlCodec.decodeState(new ByteArrayInputStream(bytes))).isEqualTo(original);
        }
    }
}
