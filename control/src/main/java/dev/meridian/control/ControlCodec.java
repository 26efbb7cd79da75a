package dev.meridian.control;

import dev.meridian.control.ControlCommand.ChangePrimary;
import dev.meridian.control.ControlCommand.RecordHeartbeat;
import dev.meridian.control.ControlState.AgreedHeartbeat;
import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;

/**
 * The bytes of log entries, their replies and snapshots. Entries stay in the log for good, so a format change must
 * keep reading the old one: every layout starts with a tag or version byte for that.
 */
final class ControlCodec {
    private static final byte HEARTBEAT = 1;
    private static final byte CHANGE_PRIMARY = 2;
    private static final byte CHANGED = 1;
    private static final byte REJECTED = 2;
    private static final byte SNAPSHOT_V1 = 1;

    private ControlCodec() {}

    static Message encode(ControlCommand command) {
        return Message.valueOf(ByteString.copyFrom(write(out -> {
            if (command instanceof RecordHeartbeat h) {
                out.writeByte(HEARTBEAT);
                out.writeUTF(h.member());
                out.writeLong(h.incarnation());
                out.writeLong(h.sentNanos());
                writeHeartbeat(out, h.heartbeat());
            } else if (command instanceof ChangePrimary c) {
                out.writeByte(CHANGE_PRIMARY);
                out.writeUTF(c.to());
                out.writeLong(c.expectedEpoch());
                out.writeBoolean(c.planned());
                out.writeBoolean(c.primaryHeartbeatIndex().isPresent());
                if (c.primaryHeartbeatIndex().isPresent()) {
                    out.writeLong(c.primaryHeartbeatIndex().getAsLong());
                }
            }
        })));
    }

    static ControlCommand decodeCommand(ByteString bytes) {
        return read(bytes.newInput(), in -> {
            byte tag = in.readByte();
            return switch (tag) {
                case HEARTBEAT -> new RecordHeartbeat(in.readUTF(), in.readLong(), in.readLong(), readHeartbeat(in));
                case CHANGE_PRIMARY -> new ChangePrimary(in.readUTF(), in.readLong(), in.readBoolean(),
                        in.readBoolean() ? OptionalLong.of(in.readLong()) : OptionalLong.empty());
                default -> throw new IOException("unknown control log entry tag " + tag);
            };
        });
    }

    static Message changed(SqlRole role) {
        return Message.valueOf(ByteString.copyFrom(write(out -> {
            out.writeByte(CHANGED);
            writeRole(out, role);
        })));
    }

    static Message rejected(String reason) {
        return Message.valueOf(ByteString.copyFrom(write(out -> {
            out.writeByte(REJECTED);
            out.writeUTF(reason);
        })));
    }

    /** The role a change of primary produced; throws when the state machine rejected the change. */
    static SqlRole changeOutcome(ByteString reply) {
        return read(reply.newInput(), in -> {
            if (in.readByte() == REJECTED) {
                throw new ControlException(in.readUTF());
            }
            return readRole(in);
        });
    }

    static byte[] encodeState(ControlState state) {
        return write(out -> {
            out.writeByte(SNAPSHOT_V1);
            writeRole(out, state.role());
            out.writeBoolean(state.lastFailover().isPresent());
            if (state.lastFailover().isPresent()) {
                Failover f = state.lastFailover().get();
                out.writeUTF(f.from());
                out.writeUTF(f.to());
                out.writeLong(f.epoch());
                out.writeLong(f.fromLsn());
                out.writeLong(f.toLsn());
                out.writeBoolean(f.planned());
            }
            out.writeInt(state.heartbeats().size());
            for (var entry : state.heartbeats().entrySet()) {
                out.writeUTF(entry.getKey());
                out.writeLong(entry.getValue().index());
                writeHeartbeat(out, entry.getValue().heartbeat());
            }
        });
    }

    static ControlState decodeState(InputStream bytes) {
        return read(bytes, in -> {
            byte version = in.readByte();
            if (version != SNAPSHOT_V1) {
                throw new IOException("unknown control snapshot version " + version);
            }
            SqlRole role = readRole(in);
            Optional<Failover> failover = in.readBoolean()
                    ? Optional.of(new Failover(in.readUTF(), in.readUTF(), in.readLong(), in.readLong(), in.readLong(),
                            in.readBoolean()))
                    : Optional.empty();
            int count = in.readInt();
            var heartbeats = new HashMap<String, AgreedHeartbeat>();
            for (int i = 0; i < count; i++) {
                heartbeats.put(in.readUTF(), new AgreedHeartbeat(in.readLong(), readHeartbeat(in)));
            }
            return new ControlState(role, heartbeats, failover);
        });
    }

    private static void writeHeartbeat(DataOutput out, Heartbeat heartbeat) throws IOException {
        out.writeLong(heartbeat.walLsn());
        out.writeBoolean(heartbeat.eligible());
    }

    private static Heartbeat readHeartbeat(DataInput in) throws IOException {
        return new Heartbeat(in.readLong(), in.readBoolean());
    }

    private static void writeRole(DataOutput out, SqlRole role) throws IOException {
        out.writeUTF(role.primary());
        out.writeLong(role.epoch());
    }

    private static SqlRole readRole(DataInput in) throws IOException {
        return new SqlRole(in.readUTF(), in.readLong());
    }

    private interface Writer {
        void write(DataOutput out) throws IOException;
    }

    private interface Reader<T> {
        T read(DataInput in) throws IOException;
    }

    private static byte[] write(Writer writer) {
        var bytes = new ByteArrayOutputStream();
        try (var out = new DataOutputStream(bytes)) {
            writer.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        return bytes.toByteArray();
    }

    private static <T> T read(InputStream bytes, Reader<T> reader) {
        try (var in = new DataInputStream(bytes)) {
            return reader.read(in);
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable control plane data: " + e.getMessage(), e);
        }
    }
}
