package dev.meridian.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.control.ControlCommand.AgreeWrite;
import dev.meridian.control.ControlCommand.ChangePrimary;
import dev.meridian.control.ControlCommand.RecordHeartbeat;
import dev.meridian.core.strong.StrongWrite;
import dev.meridian.core.strong.Verdict;
import java.io.ByteArrayInputStream;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ControlCodecTest {
    @Test
    void commandsSurviveTheLog() {
        var heartbeat = new RecordHeartbeat("eu-west-1", -42, 123_456_789, new Heartbeat(0x1_6B37_4D48L, true));
        var automatic = new ChangePrimary("ap-southeast-1", 3, false, OptionalLong.of(77));
        var planned = new ChangePrimary("us-east-1", 4, true, OptionalLong.empty());

        for (ControlCommand command : new ControlCommand[] {heartbeat, automatic, planned, new ControlCommand.Barrier()}) {
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

        var keys = new AgreedKeys();
        keys.decide(new StrongWrite("items/t", new byte[] {1, 2}, new byte[] {9}, 0, 500, "eu-west-1"), 7);
        for (ControlState original : new ControlState[] {ControlState.initial("a"), state, promoted}) {
            byte[] bytes = ControlCodec.encodeState(original, keys);
            var restored = new AgreedKeys();
            assertThat(ControlCodec.decodeState(new ByteArrayInputStream(bytes), restored)).isEqualTo(original);
            // The restored keys decide as the originals: a write read before index 7 conflicts with it.
            assertThat(restored.decide(new StrongWrite("items/t", new byte[] {1, 2}, null, 6, 1, "us-east-1"), 8)
                    .verdict()).isEqualTo(new Verdict(false, 8, 7));
        }
    }

    @Test
    void strongWritesAndVerdictsSurviveTheLog() {
        var put = new StrongWrite("items/t", new byte[] {0, 1}, new byte[] {42, 43}, 17, 1_000_000, "us-east-1");
        var delete = new StrongWrite("tables", new byte[] {7}, null, 3, 5, "ap-southeast-1");
        for (StrongWrite write : new StrongWrite[] {put, delete}) {
            var decoded = (AgreeWrite) ControlCodec.decodeCommand(ControlCodec.encode(new AgreeWrite(write)).getContent());
            assertThat(decoded.write()).usingRecursiveComparison().isEqualTo(write);
        }
        var verdict = new Verdict(false, 12, 11);
        assertThat(ControlCodec.decodeVerdict(ControlCodec.verdict(verdict).getContent())).isEqualTo(verdict);
    }
}
